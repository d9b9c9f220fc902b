// What jsdom lacks and the page's libraries read when they load: uPlot asks matchMedia for the
// device pixel ratio. Nothing here is drawn; the charts themselves are checked end to end.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
