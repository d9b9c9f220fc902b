import { describe, expect, it } from 'vitest';
import { blockRange, visibleRange } from './virtualRows';

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

  it('widens a range to whole blocks, so that it moves only once a block has scrolled by', () => {
    expect(blockRange({ first: 3, last: 21 }, 1_000, 8)).toEqual({ first: 0, last: 24 });
    expect(blockRange({ first: 5, last: 23 }, 1_000, 8)).toEqual({ first: 0, last: 24 });
    expect(blockRange({ first: 8, last: 26 }, 1_000, 8)).toEqual({ first: 8, last: 32 });
    expect(blockRange({ first: 990, last: 1_000 }, 1_000, 8)).toEqual({ first: 984, last: 1_000 });
  });
});
