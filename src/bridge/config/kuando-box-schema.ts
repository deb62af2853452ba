import { z } from 'zod';

// The Kuando Busylight Box parts of the config (README "Kuando Busylight Box"): top-level `kuandoBoxes`, one per
// line it watches. Cross-references are checked by kuandoBoxProblems.

const MAX_BOXES = 1000;

export const kuandoBoxSchema = z.strictObject({
  /** The line whose activity it detects. */
  line: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'expected an id (letters, digits, - and _)'),
  /** With several Boxes: which one, by USB serial number or HID path. */
  serialNumber: z.string().min(1).max(128).optional(),
  path: z.string().min(1).max(512).optional(),
  /** The Box's own settings (Busylight API rev 2.2): 0 most sensitive .. 31. */
  sensitivity: z.int().min(0).max(31).default(4),
  /** Seconds the Box keeps reporting activity after it last detected some. */
  timeoutSeconds: z.int().min(1).max(30).default(4),
  triggerMs: z.int().min(1).max(250).default(85),
});

export const kuandoBoxesSchema = z.array(kuandoBoxSchema).max(MAX_BOXES, `expected at most ${MAX_BOXES} Kuando Boxes`).default([]);

export type KuandoBoxConfig = z.infer<typeof kuandoBoxSchema>;

export function kuandoBoxProblems(config: { lines: { id: string; sensor?: unknown }[]; kuandoBoxes: KuandoBoxConfig[] }): string[] {
  const problems: string[] = [];
  const lines = new Map(config.lines.map((l) => [l.id, l]));
  const watched = new Map<string, number>();
  config.kuandoBoxes.forEach((box, i) => {
    const line = lines.get(box.line);
    if (!line) problems.push(`kuandoBoxes[${i}].line: unknown line "${box.line}"`);
    else if (line.sensor) problems.push(`kuandoBoxes[${i}].line: line "${box.line}" already has a serial ring sensor`);
    const other = watched.get(box.line);
    if (other !== undefined) problems.push(`kuandoBoxes[${i}].line: kuandoBoxes[${other}] already watches line "${box.line}"`);
    watched.set(box.line, i);
  });
  if (config.kuandoBoxes.length > 1 && config.kuandoBoxes.some((b) => b.serialNumber === undefined && b.path === undefined)) {
    problems.push('kuandoBoxes: with more than one Box, name each by serialNumber or path');
  }
  return problems;
}
