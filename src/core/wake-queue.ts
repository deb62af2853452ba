/**
 * A min-heap of (time, key) deadlines. Entries are never removed when a deadline moves: the owner keeps the
 * current deadline and `popDue` skips entries that no longer match it.
 */
export interface WakeQueue<K> {
  times: number[];
  keys: K[];
}

export function createWakeQueue<K>(): WakeQueue<K> {
  return { times: [], keys: [] };
}

export function pushWake<K>(queue: WakeQueue<K>, time: number, key: K): void {
  const { times, keys } = queue;
  let i = times.length;
  times.push(time);
  keys.push(key);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (times[parent]! <= time) break;
    times[i] = times[parent]!;
    keys[i] = keys[parent]!;
    i = parent;
  }
  times[i] = time;
  keys[i] = key;
}

function popTop<K>(queue: WakeQueue<K>): void {
  const { times, keys } = queue;
  const lastTime = times.pop()!;
  const lastKey = keys.pop()!;
  const size = times.length;
  if (size === 0) return;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && times[child + 1]! < times[child]!) child++;
    if (times[child]! >= lastTime) break;
    times[i] = times[child]!;
    keys[i] = keys[child]!;
    i = child;
  }
  times[i] = lastTime;
  keys[i] = lastKey;
}

/** Drops stale entries from the top; returns the earliest live deadline or null. */
export function peekWake<K>(queue: WakeQueue<K>, isLive: (time: number, key: K) => boolean): number | null {
  while (queue.times.length > 0) {
    if (isLive(queue.times[0]!, queue.keys[0]!)) return queue.times[0]!;
    popTop(queue);
  }
  return null;
}

/** Removes and returns the earliest live entry due at or before `now`, or null. */
export function popDue<K>(queue: WakeQueue<K>, now: number, isLive: (time: number, key: K) => boolean): { time: number; key: K } | null {
  const time = peekWake(queue, isLive);
  if (time === null || time > now) return null;
  const key = queue.keys[0]!;
  popTop(queue);
  return { time, key };
}
