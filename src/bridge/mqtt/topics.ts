/** The MQTT topic layout (README "MQTT"), under `thirdring/<site>`. */
export function topicsFor(site: string) {
  const base = `thirdring/${site}`;
  return {
    base,
    bridgeState: `${base}/bridge/state`,
    line: (line: string) => `${base}/line/${line}`,
    desk: (desk: string) => `${base}/desk/${desk}`,
    deskSet: (desk: string) => `${base}/desk/${desk}/set`,
    deskAction: (desk: string) => `${base}/desk/${desk}/action`,
    deskAvailability: (desk: string) => `${base}/desk/${desk}/availability`,
    log: `${base}/log`,
    request: (command: string) => `${base}/bridge/request/${command}`,
    response: (command: string) => `${base}/bridge/response/${command}`,
    /** What the bridge listens to. */
    inbound: [`${base}/desk/+/action`, `${base}/desk/+/availability`, `${base}/bridge/request/+`],
  };
}

export type Topics = ReturnType<typeof topicsFor>;

/** The levels of `topic` below `base` (`thirdring/<site>`), or null for a topic of another site or none. */
export function levelsBelow(base: string, topic: string): string[] | null {
  return topic.startsWith(`${base}/`) ? topic.slice(base.length + 1).split('/') : null;
}

/** Inputs that mean "do this now" (a desk's action, a request): never to be kept as retained messages. */
export function isCommandInput(levels: readonly string[]): boolean {
  return (levels[0] === 'desk' && levels.length === 3 && levels[2] === 'action') || (levels[0] === 'bridge' && levels[1] === 'request');
}

/** The desk unit's MQTT user name. */
export const deskUnitUser = (desk: string) => `desk-${desk}`;
