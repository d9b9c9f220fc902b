// Searching the blueprint list as the user types: every word must appear in the name, runtime,
// description or a tag. Done here, not over IPC, so the list narrows with each keystroke.
import type { Blueprint } from '$lib/ipc';

export function matchingBlueprints(blueprints: Blueprint[], query: string): Blueprint[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return blueprints.filter((blueprint) => {
    const text = `${blueprint.name} ${blueprint.runtime} ${blueprint.description} ${blueprint.tags.join(' ')}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
