// What bench/ring-trace.ts recorded in one path process, cut at that path's rings (bench/external-broker.bench.ts
// with EXTERNAL_BENCH_TRACE): the medians of each leg of a ring, in ms.

/** [what, µs, bytes or GC µs] as ring-trace.ts writes them. */
export type TraceEvent = [string, number, number];

const median = (values: number[]) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
const ms = (us: number) => (Number.isNaN(us) ? '—' : (us / 1000).toFixed(2));

/**
 * For each ring (RING ON written at `sentUs`, the command at the desk at `litUs`): when the process first read
 * bytes after it (the serial line), its first socket write after that (the command leaving for the broker or, from
 * the embedded broker, for the desk), and the desk; plus the garbage collections that ran during rings.
 */
export function traceSummary(events: TraceEvent[], rings: [number, number | null][]): string {
  const read: number[] = [];
  const write: number[] = [];
  const desk: number[] = [];
  let gcs = 0;
  let gcUs = 0;
  for (const [sentUs, litUs] of rings) {
    if (litUs === null) continue;
    const during = events.filter(([, at]) => at >= sentUs && at <= litUs);
    for (const [what, at, durationUs] of events) {
      if (what === 'gc' && at < litUs && at + durationUs > sentUs) [gcs, gcUs] = [gcs + 1, gcUs + durationUs];
    }
    const readAt = during.find(([what]) => what === 'read')?.[1];
    const writeAt = readAt === undefined ? undefined : during.find(([what, at]) => what === 'write' && at >= readAt)?.[1];
    if (readAt === undefined || writeAt === undefined) continue;
    read.push(readAt - sentUs);
    write.push(writeAt - readAt);
    desk.push(litUs - writeAt);
  }
  return (
    `RING ON → read ${ms(median(read))}, → command written ${ms(median(write))}, → at the desk ${ms(median(desk))} ms (medians of ${read.length} rings)` +
    (gcs > 0 ? `; ${gcs} GC during rings, ${(gcUs / 1000).toFixed(1)} ms` : '; no GC during rings')
  );
}
