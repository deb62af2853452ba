/** The MQTT topic layout (DESIGN.md "MQTT topics"), under `thirdring/<site>`. */
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

/** The desk unit's MQTT user name. */
export const deskUnitUser = (desk: string) => `desk-${desk}`;
