// Long lists draw only the rows in view: the log explorer's lines and the function list.

/**
 * Which rows a viewport shows: the first and one past the last, with a few more either side.
 * `scrollTop` is how far the list's top has scrolled above the viewport's, negative while the list
 * starts lower down the page.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, spare = 10) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - spare);
  const last = Math.max(first, Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + spare));
  return { first, last };
}

/**
 * The same range widened to whole blocks of `block` rows, so that it changes only once every
 * `block` rows scrolled: between those, a scroll draws nothing new.
 */
export function blockRange(range: { first: number; last: number }, count: number, block: number) {
  const first = Math.floor(range.first / block) * block;
  const last = Math.min(count, Math.ceil(range.last / block) * block);
  return { first, last };
}
