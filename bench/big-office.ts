import { DEFAULT_BUSINESS_HOURS, defaultEscalation, NATIONAL_CADENCES, type CoreConfig } from '../src/core/index.js';
import { seededRandom } from '../firmware-sim/random.js';

/**
 * A building-sized office: desks on a 1.8 m grid (with a little scatter) and phones spread over the floor.
 * "Everyone" at the third ring is limited to 20 m: at this size, lighting every desk in the building is not
 * a rule anyone would configure.
 */
export function bigOffice(deskCount: number, lineCount: number, seed = 7): CoreConfig {
  const random = seededRandom(seed);
  const side = Math.ceil(Math.sqrt(deskCount));
  const spacing = 1.8;
  const patterns = [...Object.values(NATIONAL_CADENCES).map((c) => c.pattern), 'auto' as const];
  const [ringTwo, everyone] = defaultEscalation(3);
  return {
    desks: Array.from({ length: deskCount }, (_, i) => ({
      id: `desk-${i}`,
      at: [(i % side) * spacing + random() * 0.3, Math.floor(i / side) * spacing + random() * 0.3] as const,
    })),
    lines: Array.from({ length: lineCount }, (_, i) => ({
      id: `line-${i}`,
      phones: [[random() * side * spacing, random() * side * spacing] as const],
      cadence: patterns[i % patterns.length]!,
      designated: false,
    })),
    rules: {
      answerBy: 3,
      tieMetres: 0.5,
      escalation: [ringTwo!, { ...everyone!, withinMetres: 20 }],
      holdCheckMs: 120_000,
      businessHours: DEFAULT_BUSINESS_HOURS,
      designated: null,
    },
    timezone: 'UTC',
    schedules: [],
  };
}
