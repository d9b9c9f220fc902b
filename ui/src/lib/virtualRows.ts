// Long lists draw only the rows in view: the log explorer's lines and the function list.

/** Rows drawn beyond each edge of the viewport, ready before a scroll brings them in. */
const SPARE_ROWS = 10;

/**
 * Which rows a viewport shows: the first and one past the last, with a few more either side.
 * `scrollTop` is how far the list's top has scrolled above the viewport's, negative while the list
 * starts lower down the page.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - SPARE_ROWS);
  const last = Math.max(first, Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + SPARE_ROWS));
  return { first, last };
}

/**
 * The rows to draw, and the slots to draw them in (see `recycledRows`). They start at
 * `visibleRange`'s first, down to a whole block of `block` rows, so that they move only once every
 * `block` rows scrolled: between those, a scroll draws nothing new. From there they are always
 * `slots` rows, enough to reach `visibleRange`'s last wherever the list has scrolled, so that each
 * block scrolled hands its slots on whole. Only at the list's end, and while its top is in view,
 * are they fewer.
 */
export function drawnRows(scrollTop: number, viewport: number, rowHeight: number, count: number, block: number) {
  const needed = visibleRange(scrollTop, viewport, rowHeight, count);
  const slots = Math.ceil(viewport / rowHeight) + 1 + 2 * SPARE_ROWS + block - 1;
  const first = Math.floor(needed.first / block) * block;
  const throughBlock = Math.ceil(needed.last / block) * block;
  const last = Math.min(count, first + slots, first === 0 ? throughBlock : Infinity);
  return { first, last, slots };
}

/** One drawn row: `item`, the list's row `index`, in the element kept for `slot`. */
export interface RecycledRow<T> {
  slot: number;
  index: number;
  item: T;
}

/**
 * The rows of `items` from `first` to `last`, at most `slots` of them, each in a slot kept from
 * one scroll to the next, answered in slot order. Row `index` sits in slot `(index - base) mod slots`:
 * a scroll by a block hands the slots of the rows that left to the rows that came, so their
 * elements keep their place in the document and only their text changes. The browser then lays
 * out that text again, where making or moving the elements would build their boxes anew.
 *
 * A row that is still in its slot since `previous` (what this answered last) is answered as the
 * same object, so Svelte updates only the elements whose rows changed, not every row drawn.
 *
 * The document's order is the rows' own order while `first` is `base`, and turned about by the
 * rows scrolled since: `RowOrder` gives `base` the first row once a scroll has settled, for Tab and
 * screen readers, which follow the document.
 */
export function recycledRows<T>(
  items: readonly T[],
  first: number,
  last: number,
  slots: number,
  base: number,
  previous: readonly RecycledRow<T>[] = [],
): RecycledRow<T>[] {
  const bySlot: RecycledRow<T>[] = [];
  for (const row of previous) bySlot[row.slot] = row;
  return items
    .slice(first, last)
    .map((item, offset) => {
      const index = first + offset;
      const slot = slotOf(index, base, slots);
      const kept = bySlot[slot];
      return kept?.index === index && kept.item === item ? kept : { slot, index, item };
    })
    .sort((one, other) => one.slot - other.slot);
}

/**
 * `recycledRows` for one list, passing each call what it answered last: a component draws its
 * rows with `$derived(recycle(items, first, last, slots, base))`.
 */
export function rowRecycler<T>() {
  let previous: RecycledRow<T>[] = [];
  return (items: readonly T[], first: number, last: number, slots: number, base: number): RecycledRow<T>[] =>
    (previous = recycledRows(items, first, last, slots, base, previous));
}

/** The slot `recycledRows` puts row `index` in. */
export function slotOf(index: number, base: number, slots: number) {
  return (((index - base) % slots) + slots) % slots;
}
