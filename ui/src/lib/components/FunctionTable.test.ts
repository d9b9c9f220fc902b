import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FunctionSummary } from '$lib/ipc';
import { functionSummary } from '$lib/testing';
import FunctionTable from './FunctionTable.svelte';

const ROW_HEIGHT = 56;
const BLOCK = 8;
/** The rows a window of this height draws from the top: the rows in view and ten spare, in whole blocks. */
const drawnFromTop = Math.ceil((Math.ceil(window.innerHeight / ROW_HEIGHT) + 10) / BLOCK) * BLOCK;

function functionsNamed(count: number): FunctionSummary[] {
  return Array.from({ length: count }, (_, index) =>
    functionSummary(`fn-${String(index).padStart(4, '0')}`, 'us-east-1', '2026-11-24T15:20:00.000+0000'),
  );
}

function drawnNames(): string[] {
  return screen.getAllByTestId('function-name').map((link) => link.textContent ?? '');
}

/** The rows' group, as tall as the whole list. */
function rowsBody(container: HTMLElement): HTMLElement {
  return container.querySelector<HTMLElement>('.body')!;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('FunctionTable', () => {
  it('draws only the rows in view of a long list, and keeps the scrollbar the whole list’s length', () => {
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });

    const drawn = drawnNames();
    expect(drawn).toHaveLength(drawnFromTop);
    expect(drawn[0]).toBe('fn-0000');
    expect(rowsBody(container).style.height).toBe(`${1_000 * ROW_HEIGHT}px`);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('1001');
  });

  it('draws the rows scrolled to, each at its own place in the list', async () => {
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });
    const body = rowsBody(container);
    vi.spyOn(body, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, -500 * ROW_HEIGHT, 800, 1_000 * ROW_HEIGHT));

    await fireEvent.scroll(window);

    const drawn = drawnNames();
    // 490 (ten above the first in view) down to whole blocks of eight: 488.
    expect(drawn[0]).toBe('fn-0488');
    const lastInView = 500 + Math.ceil(window.innerHeight / ROW_HEIGHT) + 10;
    expect(drawn.at(-1)).toBe(`fn-0${Math.ceil(lastInView / BLOCK) * BLOCK - 1}`);
    const rows = screen.getAllByTestId('function-row');
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('490');
    expect(rows[0]!.style.top).toBe(`${488 * ROW_HEIGHT}px`);
    expect(rows[1]!.style.top).toBe(`${489 * ROW_HEIGHT}px`);
  });

  it('says how long ago each function changed, with the time to the second in UTC on hover', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-24T15:23:10Z') });
    render(FunctionTable, { functions: functionsNamed(1) });

    const changed = within(screen.getByTestId('function-row')).getByTitle('2026-11-24 15:20:00 UTC');
    expect(changed.textContent).toBe('3 minutes ago');
  });

  it('draws every row of a short list, in a body only as tall as they are', () => {
    const { container } = render(FunctionTable, { functions: functionsNamed(3) });

    expect(drawnNames()).toEqual(['fn-0000', 'fn-0001', 'fn-0002']);
    expect(rowsBody(container).style.height).toBe(`${3 * ROW_HEIGHT}px`);
  });
});
