// The request "Call it" sends, as the user types it: headers one per line, and how an answer reads.
import type { HttpHeader } from '$lib/ipc';

/** `Name: value` lines as headers; blank lines are skipped, a line without a colon is a name. */
export function parseHeaderLines(text: string): HttpHeader[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const colon = line.indexOf(':');
      return colon < 0
        ? { name: line, value: '' }
        : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

/** The body pretty-printed when it is JSON, as it came otherwise. */
export function readableBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The answer's header of that name, ignoring case. */
export function headerValue(headers: HttpHeader[], name: string): string | null {
  const wanted = name.toLowerCase();
  return headers.find((header) => header.name.toLowerCase() === wanted)?.value ?? null;
}

/** Methods a request can send; ANY is what an API accepts, not a request. */
export const SENDABLE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
