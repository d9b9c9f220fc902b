// The document order of recycled rows (see `recycledRows`): turned about while a list scrolls, and
// put back in the list's own order once the scroll settles, for Tab and screen readers.

const SETTLE_MS = 150;

export class RowOrder {
  /** The first row drawn when the rows were last put in the list's order. */
  base = $state(0);
  #settling: ReturnType<typeof setTimeout> | undefined;
  readonly #first: () => number;
  readonly #waiting: () => boolean;

  /** `first` answers the first row drawn now; while `waiting` answers true, the order stays as it is. */
  constructor(first: () => number, waiting: () => boolean = () => false) {
    this.#first = first;
    this.#waiting = waiting;
  }

  /** Puts the rows in order once nothing has called this for a moment. */
  settleLater(): void {
    this.stop();
    this.#settling = setTimeout(() => this.settle(), SETTLE_MS);
  }

  /** Puts the rows in order now, unless the order is waiting. */
  settle(): void {
    if (!this.#waiting()) this.base = this.#first();
  }

  stop(): void {
    clearTimeout(this.#settling);
  }
}
