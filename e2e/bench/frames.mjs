// What the window benches share: the two scroll speeds, and the frame counter that runs in the page.

// Pixels a frame: 13,200 px/s (a scrollbar dragged hard) and 2,640 px/s (a fast flick of the wheel).
export const SCROLL_SPEEDS = { fast: 220, flick: 44 };

/**
 * Runs in the page (pass it to `browser.execute`, so it names nothing outside itself) and answers
 * the frames per second and the longest frame while, each frame, it either
 * - scrolls `selector`'s element (the document when `selector` is null) by `scroll.stepPx`, from
 *   the top, for `scroll.durationMs`; or
 * - types the next of `values` into `selector`'s input, until all are typed (where the page has
 *   no such input, the frames pass idle).
 */
export function countFrames({ selector, scroll = null, values = [] }) {
  const target = selector ? document.querySelector(selector) : document.scrollingElement;
  if (scroll) target.scrollTop = 0;
  const work = (frame) => {
    if (scroll) target.scrollTop += scroll.stepPx;
    else if (target) {
      target.value = values[frame - 1] ?? '';
      target.dispatchEvent(new Event('input', { bubbles: true }));
    }
  };
  const done = (elapsed, frames) => (scroll ? elapsed >= scroll.durationMs : frames > values.length);
  return new Promise((resolve) => {
    let frames = 0;
    let started = null;
    let previous = null;
    let worstFrameMs = 0;
    const step = (now) => {
      if (started === null) started = now;
      else {
        frames += 1;
        worstFrameMs = Math.max(worstFrameMs, now - previous);
      }
      previous = now;
      if (done(now - started, frames)) {
        resolve({ fps: (frames * 1000) / (now - started), worstFrameMs });
        return;
      }
      work(frames);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
