// What the app does the moment its code runs, before SvelteKit has loaded the layout and the page:
// at launch it asks for the profiles and regions, then for the first function list, so that their
// answers cross while the page loads instead of one after another once it is drawn.
import type { ClientInit } from '@sveltejs/kit';
import { askForFirstList } from '$lib/stores/functionList.svelte';
import { session } from '$lib/stores/session.svelte';

export const init: ClientInit = () => {
  void session.load().then(() => {
    if (session.selection && location.pathname === '/') askForFirstList(session.selection);
  });
};
