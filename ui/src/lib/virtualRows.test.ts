import { describe, expect, it } from 'vitest';
import { drawnRows, recycledRows, rowRecycler, visibleRange } from './virtualRows';

describe('visibleRange', () => {
  it('draws only the rows the viewport shows, with a few spare', () => {
    expect(visibleRange(0, 400, 20, 100_000)).toEqual({ first: 0, last: 30 });
    expect(visibleRange(200_000, 400, 20, 100_000)).toEqual({ first: 9_990, last: 10_030 });
    expect(visibleRange(1_999_900, 400, 20, 100_000)).toEqual({ first: 99_985, last: 100_000 });
  });

  it('draws the first rows of a list that starts below the top of the viewport', () => {
    expect(visibleRange(-300, 600, 50, 1_000)).toEqual({ first: 0, last: 16 });
    expect(visibleRange(-900, 600, 50, 1_000)).toEqual({ first: 0, last: 4 });
    expect(visibleRange(-2_000, 600, 50, 1_000)).toEqual({ first: 0, last: 0 });
  });

  it('draws from a whole block, so that the rows drawn move only once a block has scrolled by', () => {
    const slots = Math.ceil(400 / 20) + 1 + 2 * 10 + 8 - 1;
    expect(drawnRows(18 * 20, 400, 20, 1_000, 8)).toEqual({ first: 8, last: 8 + slots, slots });
    expect(drawnRows(25 * 20 + 19, 400, 20, 1_000, 8)).toEqual({ first: 8, last: 8 + slots, slots });
    expect(drawnRows(26 * 20, 400, 20, 1_000, 8)).toEqual({ first: 16, last: 16 + slots, slots });
    expect(drawnRows(990 * 20, 400, 20, 1_000, 8)).toEqual({ first: 976, last: 1_000, slots });
  });

  it('draws only through the block the viewport needs while the list’s top is in view', () => {
    expect(drawnRows(0, 400, 20, 1_000, 8)).toMatchObject({ first: 0, last: 32 });
    expect(drawnRows(13 * 20, 400, 20, 1_000, 8)).toMatchObject({ first: 0, last: 48 });
    expect(drawnRows(-300, 400, 20, 1_000, 8)).toMatchObject({ first: 0, last: 16 });
    expect(drawnRows(-2_000, 400, 20, 1_000, 8)).toMatchObject({ first: 0, last: 0 });
  });

  it('draws every row the viewport needs, in as many rows as it has slots, wherever the list has scrolled', () => {
    for (const [viewport, rowHeight, block] of [
      [800, 56, 8],
      [1_080, 56, 8],
      [400, 20, 5],
    ] as const) {
      const missed: number[] = [];
      for (let scrollTop = -viewport; scrollTop < 3_000 * rowHeight; scrollTop += 7) {
        const needed = visibleRange(scrollTop, viewport, rowHeight, 100_000);
        const { first, last, slots } = drawnRows(scrollTop, viewport, rowHeight, 100_000, block);
        const whole = first === 0 || last - first === slots;
        if (first > needed.first || last < needed.last || last - first > slots || !whole) missed.push(scrollTop);
      }
      expect(missed).toEqual([]);
    }
  });
});

describe('recycledRows', () => {
  const items = Array.from({ length: 100 }, (_, index) => `row ${index}`);
  const indexes = (rows: { index: number }[]) => rows.map((row) => row.index);

  it('puts the rows in the list’s order while the first row is the base', () => {
    const rows = recycledRows(items, 16, 22, 6, 16);

    expect(indexes(rows)).toEqual([16, 17, 18, 19, 20, 21]);
    expect(rows.map((row) => row.slot)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows[2]!.item).toBe('row 18');
  });

  it('hands the slots of the rows scrolled out to the rows scrolled in, and keeps every other row in its slot', () => {
    const before = recycledRows(items, 16, 22, 6, 16);
    const after = recycledRows(items, 18, 24, 6, 16);

    const slotOf = (rows: { slot: number; index: number }[], index: number) => rows.find((row) => row.index === index)?.slot;
    for (const stayed of [18, 19, 20, 21]) expect(slotOf(after, stayed)).toBe(slotOf(before, stayed));
    expect(slotOf(after, 22)).toBe(slotOf(before, 16));
    expect(slotOf(after, 23)).toBe(slotOf(before, 17));
    expect(indexes(after)).toEqual([22, 23, 18, 19, 20, 21]);
  });

  it('answers a row still in its slot as the same object, and a row new to its slot or changed as a new one', () => {
    const before = recycledRows(items, 16, 22, 6, 16);
    const after = recycledRows(items, 18, 24, 6, 16, before);

    const byIndex = <Row extends { index: number }>(rows: Row[], index: number) => rows.find((row) => row.index === index);
    for (const stayed of [18, 19, 20, 21]) expect(byIndex(after, stayed)).toBe(byIndex(before, stayed));
    for (const came of [22, 23]) expect(before).not.toContain(byIndex(after, came));

    const edited = items.map((item, index) => (index === 19 ? 'row 19, edited' : item));
    const again = recycledRows(edited, 18, 24, 6, 16, after);
    expect(byIndex(again, 18)).toBe(byIndex(after, 18));
    expect(byIndex(again, 19)).not.toBe(byIndex(after, 19));
    expect(byIndex(again, 19)!.item).toBe('row 19, edited');

    // Put back in order, every row moves to another slot.
    for (const row of recycledRows(items, 18, 24, 6, 18, again)) expect(again).not.toContain(row);
  });

  it('is given its last answer by a row recycler', () => {
    const recycle = rowRecycler<string>();
    const before = recycle(items, 16, 22, 6, 16);
    const after = recycle(items, 18, 24, 6, 16);

    expect(after).toEqual(recycledRows(items, 18, 24, 6, 16));
    const byIndex = (rows: typeof after, index: number) => rows.find((row) => row.index === index);
    for (const stayed of [18, 19, 20, 21]) expect(byIndex(after, stayed)).toBe(byIndex(before, stayed));
  });

  it('keeps its slots when scrolled back above the base', () => {
    expect(indexes(recycledRows(items, 14, 20, 6, 16))).toEqual([16, 17, 18, 19, 14, 15]);
  });

  it('draws fewer rows than it has slots, each in its own slot', () => {
    const rows = recycledRows(items, 96, 100, 6, 16);

    expect(indexes(rows)).toEqual([96, 97, 98, 99]);
    expect(new Set(rows.map((row) => row.slot)).size).toBe(4);
  });
});
