// Builds the bare app's page (`ui/bare/build`) with the Svelte and Vite that build Lambdesk's.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  clearScreen: false,
  build: { outDir: 'build', emptyOutDir: true },
});
