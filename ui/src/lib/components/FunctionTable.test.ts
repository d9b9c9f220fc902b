import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FunctionSummary } from '$lib/ipc';
import { functionSummary } from '$lib/testing';
import FunctionTable from './FunctionTable.svelte';

const ROW_HEIGHT = 56;
const BLOCK = 8;
/** The rows a window of this height draws from the top: the rows in view and ten spare, in whole blocks. */
const drawnFromTop = Math.ceil((Math.ceil(window.innerHeight / ROW_HEIGHT) + 10) / BLOCK) * BLOCK;
/** The rows it draws further down: those in view, ten spare either side, and the rest of a block. */
const drawnFurther = Math.ceil(window.innerHeight / ROW_HEIGHT) + 1 + 2 * 10 + BLOCK - 1;
const SETTLE_MS = 150;
const SHRINK_AFTER_MS = 150;

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

/** Scrolls the page until row `index` is the first in view. */
async function scrollToRow(body: HTMLElement, index: number) {
  vi.spyOn(body, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, -index * ROW_HEIGHT, 800, 1_000 * ROW_HEIGHT));
  await fireEvent.scroll(window);
}

/** Each drawn row's element by the name it shows. */
function rowElementsByName(): Map<string, HTMLElement> {
  return new Map(screen.getAllByTestId('function-row').map((row) => [within(row).getByTestId('function-name').textContent ?? '', row]));
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

  it('draws the rows scrolled to, each at its own place in the list, and puts them in order once the scroll settles', async () => {
    vi.useFakeTimers();
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });

    await scrollToRow(rowsBody(container), 500);

    // 490 (ten above the first in view) down to whole blocks of eight: 488.
    const expected = Array.from({ length: drawnFurther }, (_, offset) => `fn-0${488 + offset}`);
    expect(drawnNames().toSorted()).toEqual(expected);
    for (const row of screen.getAllByTestId('function-row')) {
      const index = Number(within(row).getByTestId('function-name').textContent!.slice(3));
      expect(row.getAttribute('aria-rowindex')).toBe(String(index + 2));
      expect(row.style.top).toBe(`${index * ROW_HEIGHT}px`);
    }
    expect(drawnNames()).not.toEqual(expected);

    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await tick();
    expect(drawnNames()).toEqual(expected);
  });

  it('keeps the element of every row still in view, and gives those scrolled out to the rows scrolled in', async () => {
    vi.useFakeTimers();
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });
    await scrollToRow(rowsBody(container), 500);
    const before = rowElementsByName();

    await scrollToRow(rowsBody(container), 508);

    const after = rowElementsByName();
    const kept = [...before.values()];
    expect([...after.values()].filter((row) => !kept.includes(row))).toEqual([]);
    for (const stayed of ['fn-0496', 'fn-0529']) expect(after.get(stayed)).toBe(before.get(stayed));
    expect(after.get('fn-0530')).toBe(before.get('fn-0488'));
    expect(after.has('fn-0488')).toBe(false);
  });

  it('lets go of the focus on a row scrolled out, and keeps the rows where they are while one has it', async () => {
    vi.useFakeTimers();
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });
    const body = rowsBody(container);
    await scrollToRow(body, 500);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await tick();

    rowElementsByName().get('fn-0520')!.querySelector('a')!.focus();
    await scrollToRow(body, 508);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await tick();
    expect(document.activeElement?.textContent).toBe('fn-0520');
    expect(drawnNames()[0]).not.toBe('fn-0496');

    rowElementsByName().get('fn-0500')!.querySelector('a')!.focus();
    await scrollToRow(body, 540);
    expect(document.activeElement).toBe(document.body);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await tick();
    expect(drawnNames()[0]).toBe('fn-0528');
  });

  it('lets go of the focus on a row that a taller window puts in another element', async () => {
    vi.useFakeTimers();
    const { container } = render(FunctionTable, { functions: functionsNamed(1_000) });
    const body = rowsBody(container);
    await scrollToRow(body, 500);
    rowElementsByName().get('fn-0520')!.querySelector('a')!.focus();
    await scrollToRow(body, 508);
    expect(document.activeElement?.textContent).toBe('fn-0520');

    vi.spyOn(window, 'innerHeight', 'get').mockReturnValue(window.innerHeight + 10 * ROW_HEIGHT);
    await fireEvent(window, new Event('resize'));

    expect(document.activeElement).toBe(document.body);
  });

  it('puts the rows of a new list in its order at once', async () => {
    vi.useFakeTimers();
    const { container, rerender } = render(FunctionTable, { functions: functionsNamed(1_000) });
    await scrollToRow(rowsBody(container), 500);
    await vi.advanceTimersByTimeAsync(SETTLE_MS);
    await tick();
    await scrollToRow(rowsBody(container), 508);

    const filtered = functionsNamed(1_000).filter((fn) => !fn.name.endsWith('7'));
    await rerender({ functions: filtered });
    await tick();

    expect(drawnNames()).toEqual(filtered.slice(496, 496 + drawnFurther).map((fn) => fn.name));
  });

  it('says how long ago each function changed, with the time to the second in UTC on hover', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-24T15:23:10Z') });
    render(FunctionTable, { functions: functionsNamed(1) });

    const changed = within(screen.getByTestId('function-row')).getByTitle('2026-11-24 15:20:00 UTC');
    expect(changed.textContent).toBe('3 minutes ago');
  });

  it('keeps the body of a list shortened below the window as tall until the list stops changing', async () => {
    vi.useFakeTimers();
    const all = functionsNamed(1_000);
    const hundred = all.filter((fn) => fn.name.startsWith('fn-09'));
    const { container, rerender } = render(FunctionTable, { functions: all });
    const body = rowsBody(container);

    await rerender({ functions: hundred });
    expect(drawnNames()).toEqual(hundred.slice(0, drawnFromTop).map((fn) => fn.name));
    expect(body.style.height).toBe(`${1_000 * ROW_HEIGHT}px`);

    vi.advanceTimersByTime(SHRINK_AFTER_MS - 1);
    await rerender({ functions: all });
    await rerender({ functions: hundred });
    vi.advanceTimersByTime(SHRINK_AFTER_MS - 1);
    await tick();
    expect(body.style.height).toBe(`${1_000 * ROW_HEIGHT}px`);

    vi.advanceTimersByTime(1);
    await tick();
    expect(body.style.height).toBe(`${100 * ROW_HEIGHT}px`);
    expect(drawnNames()).toEqual(hundred.slice(0, drawnFromTop).map((fn) => fn.name));

    await rerender({ functions: all });
    expect(body.style.height).toBe(`${1_000 * ROW_HEIGHT}px`);
  });

  it('shrinks the body at once when the shortened list ends in view', async () => {
    vi.useFakeTimers();
    const all = functionsNamed(1_000);
    const { container, rerender } = render(FunctionTable, { functions: all });
    const body = rowsBody(container);
    await scrollToRow(body, 900);

    await rerender({ functions: all.slice(0, 910) });
    expect(body.style.height).toBe(`${910 * ROW_HEIGHT}px`);

    await scrollToRow(body, 0);
    await rerender({ functions: all.slice(0, 3) });
    expect(body.style.height).toBe(`${3 * ROW_HEIGHT}px`);
  });

  it('draws every row of a short list, in a body only as tall as they are', () => {
    const { container } = render(FunctionTable, { functions: functionsNamed(3) });

    expect(drawnNames()).toEqual(['fn-0000', 'fn-0001', 'fn-0002']);
    expect(rowsBody(container).style.height).toBe(`${3 * ROW_HEIGHT}px`);
  });
});
