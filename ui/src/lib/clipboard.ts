// Copying text, with the notice the page shows: WebKit without a secure context has no clipboard.

/** Copies `text`; returns what to tell the user. */
export async function copyText(text: string, what = ''): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return what ? `Copied ${what}.` : 'Copied.';
  } catch {
    return 'The clipboard is not available here; select the text and copy it.';
  }
}
