// Free places on the plan for phone labels and callouts, found over a grid of the boxes already taken.

const overlapArea = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/**
 * Boxes on the plan ([x0, y0, x1, y1], optionally with a `weight`), bucketed on a grid: a question about one spot
 * looks at the boxes near it only (a floor of thousands of desks has thousands of boxes).
 */
export class BoxIndex {
  constructor(boxes = [], cell = 96) {
    this.cell = cell;
    this.buckets = new Map();
    this.seen = [];
    this.stamp = 0;
    for (const box of boxes) this.add(box);
  }

  keys(b, each) {
    for (let gx = Math.floor(b[0] / this.cell); gx <= Math.floor(b[2] / this.cell); gx++) {
      for (let gy = Math.floor(b[1] / this.cell); gy <= Math.floor(b[3] / this.cell); gy++) each(`${gx},${gy}`);
    }
  }

  add(box) {
    const entry = { box, n: this.seen.length };
    this.seen.push(0);
    this.keys(box, (key) => {
      if (!this.buckets.has(key)) this.buckets.set(key, []);
      this.buckets.get(key).push(entry);
    });
    return box;
  }

  /** Px² of `b` covered, each box counted once, times its weight. */
  cost(b) {
    const stamp = ++this.stamp;
    let sum = 0;
    this.keys(b, (key) => {
      for (const entry of this.buckets.get(key) ?? []) {
        if (this.seen[entry.n] === stamp) continue;
        this.seen[entry.n] = stamp;
        sum += overlapArea(b, entry.box) * (entry.box.weight ?? 1);
      }
    });
    return sum;
  }
}

/** How far (px) a label or callout is looked for from its place before the least bad spot is taken. */
const SPOT_SEARCH_PX = 480;

/**
 * Where a box of `w` × `h` goes, centred near `at`, inside `bounds`, covering the boxes of `taken` (a BoxIndex) as
 * little as it can. Without `perPx`: the nearest spot that covers nothing (else the one that covers least); with it,
 * the spot with the least cost plus `perPx` for each px away from `at`. `offsets` (next to a phone, a desk) are
 * tried first and taken if they cover nothing.
 */
export function findSpot(at, w, h, taken, bounds, offsets = [], perPx = null) {
  const inside = (b) => b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3];
  const boxAt = (cx, cy) => [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  for (const [dx, dy] of offsets) {
    const b = boxAt(at[0] + dx, at[1] + dy);
    if (inside(b) && taken.cost(b) === 0) return b;
  }
  const step = Math.max(8, Math.min(w, h) / 3);
  let best = null;
  let least = Infinity;
  const maxRadius = Math.min(SPOT_SEARCH_PX, Math.hypot(bounds[2] - bounds[0], bounds[3] - bounds[1]));
  for (let radius = 0; radius <= maxRadius; radius += step) {
    // Nothing further away can be better.
    if (perPx !== null && radius * perPx >= least) break;
    const around = Math.max(1, Math.round((2 * Math.PI * radius) / step));
    for (let i = 0; i < around; i++) {
      const angle = (2 * Math.PI * i) / around + Math.PI / 2;
      let b = boxAt(at[0] + radius * Math.cos(angle), at[1] + radius * Math.sin(angle));
      if (!inside(b)) {
        // Pulled back into the plan.
        const sx = Math.max(bounds[0] - b[0], 0) - Math.max(b[2] - bounds[2], 0);
        const sy = Math.max(bounds[1] - b[1], 0) - Math.max(b[3] - bounds[3], 0);
        b = [b[0] + sx, b[1] + sy, b[2] + sx, b[3] + sy];
      }
      const c = taken.cost(b);
      if (c === 0 && perPx === null) return b;
      const score = c + radius * (perPx ?? 2);
      if (score < least) [best, least] = [b, score];
    }
  }
  return best ?? boxAt(at[0], at[1]);
}

/** A phone that stands on a desk's outline is moved just off it (the plan is for reading, not measuring). */
export function nudge([x, y], r, boxes, bounds) {
  const hits = (cx, cy) => boxes.cost([cx - r, cy - r, cx + r, cy + r]) > 0;
  if (!hits(x, y)) return [x, y];
  for (let d = r / 2; d <= 3 * r; d += r / 2) {
    for (let a = 0; a < 8; a++) {
      const cx = x + d * Math.cos((a * Math.PI) / 4);
      const cy = y + d * Math.sin((a * Math.PI) / 4);
      if (cx - r >= bounds[0] && cy - r >= bounds[1] && cx + r <= bounds[2] && cy + r <= bounds[3] && !hits(cx, cy)) return [cx, cy];
    }
  }
  return [x, y];
}
