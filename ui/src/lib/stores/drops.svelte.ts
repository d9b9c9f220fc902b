// Where a zip or folder dropped on the window goes. By default the create wizard takes it; a page
// that can use it itself (a function's Code tab, to replace its code) claims drops while it shows.
type DropHandler = (source: string) => void;

class Drops {
  claimedBy = $state<DropHandler | null>(null);

  /** Takes drops until the returned function is called. */
  claim(handler: DropHandler): () => void {
    this.claimedBy = handler;
    return () => {
      if (this.claimedBy === handler) this.claimedBy = null;
    };
  }
}

export const drops = new Drops();
