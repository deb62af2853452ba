// Draws the page's parts again, at most once a turn of the event loop however many changes asked for it.

const parts = [];
let queued = false;

/** The parts of the page render() draws, in this order. */
export function renderWith(...drawers) {
  parts.push(...drawers);
}

export function render() {
  if (queued) return;
  queued = true;
  setTimeout(() => {
    queued = false;
    for (const draw of parts) draw();
  }, 0);
}
