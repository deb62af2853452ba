import type { Point } from './types.js';

/**
 * A uniform grid over desk positions, so "nearest desk that passes a filter" visits the few cells around a
 * phone instead of every desk on the floor. Desks never move; availability is the caller's filter.
 */
export interface DeskIndex {
  readonly originX: number;
  readonly originY: number;
  readonly cellSize: number;
  readonly columns: number;
  readonly rows: number;
  /** cellStart[c]..cellStart[c+1] is the slice of `cellDesks` holding cell c's desk numbers. */
  readonly cellStart: Int32Array;
  readonly cellDesks: Int32Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

export interface Candidate {
  desk: number;
  distance: number;
}

const DESKS_PER_CELL = 4;

export function buildDeskIndex(positions: readonly Point[]): DeskIndex {
  const count = positions.length;
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  positions.forEach(([x, y], i) => {
    xs[i] = x;
    ys[i] = y;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  });
  if (count === 0) minX = minY = maxX = maxY = 0;
  const width = maxX - minX, height = maxY - minY;
  const cellSize = Math.max(1, Math.sqrt((Math.max(width, 1) * Math.max(height, 1) * DESKS_PER_CELL) / Math.max(count, 1)));
  const columns = Math.floor(width / cellSize) + 1;
  const rows = Math.floor(height / cellSize) + 1;
  const cellOf = (i: number) => Math.floor((xs[i]! - minX) / cellSize) + Math.floor((ys[i]! - minY) / cellSize) * columns;

  const cellStart = new Int32Array(columns * rows + 1);
  for (let i = 0; i < count; i++) cellStart[cellOf(i) + 1]!++;
  for (let c = 0; c < columns * rows; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, columns * rows);
  const cellDesks = new Int32Array(count);
  for (let i = 0; i < count; i++) cellDesks[fill[cellOf(i)]!++] = i;
  return { originX: minX, originY: minY, cellSize, columns, rows, cellStart, cellDesks, xs, ys };
}

/**
 * Every desk passing `accept` whose distance from `from` is at most `limit(found)`, where `found` holds the
 * nearest accepted desks found so far, sorted. The search walks square rings of cells outwards and stops once
 * no unvisited cell can be closer than the limit. A limit that does not depend on `found` (a radius) lets the
 * search sort once at the end instead of keeping `found` sorted.
 */
function search(
  index: DeskIndex,
  from: Point,
  accept: (desk: number) => boolean,
  limit: (found: Candidate[]) => number,
  limitIsFixed = false,
): Candidate[] {
  const { originX, originY, cellSize, columns, rows, cellStart, cellDesks, xs, ys } = index;
  const [px, py] = from;
  const cx = Math.min(columns - 1, Math.max(0, Math.floor((px - originX) / cellSize)));
  const cy = Math.min(rows - 1, Math.max(0, Math.floor((py - originY) / cellSize)));
  const found: Candidate[] = [];
  const maxRing = Math.max(cx, columns - 1 - cx, cy, rows - 1 - cy);
  for (let ring = 0; ring <= maxRing; ring++) {
    if (ring > 0) {
      // Cells of this ring lie outside the square of the inner rings; nothing there is nearer than its edge.
      const innerLeft = originX + (cx - ring + 1) * cellSize, innerRight = originX + (cx + ring) * cellSize;
      const innerTop = originY + (cy - ring + 1) * cellSize, innerBottom = originY + (cy + ring) * cellSize;
      const edge = Math.min(px - innerLeft, innerRight - px, py - innerTop, innerBottom - py);
      if (edge > limit(found)) break;
    }
    for (let y = cy - ring; y <= cy + ring; y++) {
      if (y < 0 || y >= rows) continue;
      const onEdgeRow = y === cy - ring || y === cy + ring;
      const step = onEdgeRow ? 1 : 2 * ring;
      for (let x = cx - ring; x <= cx + ring; x += step) {
        if (x < 0 || x >= columns) continue;
        const cell = x + y * columns;
        const first = cellStart[cell]!, end = cellStart[cell + 1]!;
        if (first === end) continue;
        // Skip a cell whose nearest point is already beyond the limit (a radius's corners, a far ring's sides).
        const gapX = Math.max(originX + x * cellSize - px, px - (originX + (x + 1) * cellSize), 0);
        const gapY = Math.max(originY + y * cellSize - py, py - (originY + (y + 1) * cellSize), 0);
        if (gapX * gapX + gapY * gapY > limit(found) ** 2) continue;
        for (let k = first; k < end; k++) {
          const desk = cellDesks[k]!;
          if (!accept(desk)) continue;
          const dx = xs[desk]! - px, dy = ys[desk]! - py;
          const distance = Math.sqrt(dx * dx + dy * dy);
          if (distance > limit(found)) continue;
          if (limitIsFixed) found.push({ desk, distance });
          else insertSorted(found, { desk, distance });
        }
      }
    }
  }
  if (limitIsFixed) return found.sort(compareCandidates);
  const bound = limit(found);
  return found.filter((c) => c.distance <= bound);
}

function insertSorted(list: Candidate[], candidate: Candidate): void {
  let i = list.length;
  while (i > 0 && compareCandidates(list[i - 1]!, candidate) > 0) i--;
  list.splice(i, 0, candidate);
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return a.distance - b.distance || a.desk - b.desk;
}

/** Accepted desks nearest to any of `phones`: the nearest and every other within `tieMetres` of it. */
export function nearestWithTies(
  index: DeskIndex,
  phones: readonly Point[],
  accept: (desk: number) => boolean,
  tieMetres: number,
): Candidate[] {
  const byPhone = phones.map((phone) =>
    search(index, phone, accept, (found) => (found.length ? found[0]!.distance + tieMetres : Infinity)),
  );
  const merged = mergeByNearestPhone(byPhone);
  if (merged.length === 0) return merged;
  const bound = merged[0]!.distance + tieMetres;
  return merged.filter((c) => c.distance <= bound);
}

/** The `count` accepted desks nearest to any of `phones`, nearest first. */
export function kNearest(
  index: DeskIndex,
  phones: readonly Point[],
  accept: (desk: number) => boolean,
  count: number,
): Candidate[] {
  if (count <= 0) return [];
  const byPhone = phones.map((phone) =>
    search(index, phone, accept, (found) => (found.length >= count ? found[count - 1]!.distance : Infinity)).slice(0, count),
  );
  return mergeByNearestPhone(byPhone).slice(0, count);
}

/** Every accepted desk within `radius` of any of `phones`, nearest first. */
export function withinRadius(
  index: DeskIndex,
  phones: readonly Point[],
  accept: (desk: number) => boolean,
  radius: number,
): Candidate[] {
  return mergeByNearestPhone(phones.map((phone) => search(index, phone, accept, () => radius, true)));
}

/** A desk's distance to a line is its distance to the line's nearest phone. */
function mergeByNearestPhone(byPhone: Candidate[][]): Candidate[] {
  if (byPhone.length === 1) return byPhone[0]!;
  const best = new Map<number, number>();
  for (const list of byPhone) {
    for (const { desk, distance } of list) best.set(desk, Math.min(distance, best.get(desk) ?? Infinity));
  }
  return [...best].map(([desk, distance]) => ({ desk, distance })).sort(compareCandidates);
}
