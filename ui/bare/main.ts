// The bare app's page: the baseline `make bench` launches against Lambdesk. It lives beside
// Lambdesk's page so both are built by the same Svelte and Vite.
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
