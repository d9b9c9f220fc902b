// Tauri serves static files: render in the webview only, no server-side rendering.
export const ssr = false;
