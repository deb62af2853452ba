/**
 * The extension in a channel name: `PJSIP/201-0000002a` → `201`, `SIP/110-00042242` → `110`,
 * `Local/201@from-internal-00000012;1` → `201`. Asterisk names a channel `<tech>/<resource>-<sequence>`
 * (AMI v2 Specification examples: "PJSIP/kermit-00000001", "PJSIP/animal-00000002"), and a Local channel
 * `Local/<exten>@<context>-<sequence>;<side>`. Null when the name has no such shape.
 */
export function extensionOf(channel: string): string | null {
  const slash = channel.indexOf('/');
  if (slash <= 0) return null;
  const resource = channel.slice(slash + 1);
  if (channel.slice(0, slash).toLowerCase() === 'local') {
    const at = resource.indexOf('@');
    return at > 0 ? resource.slice(0, at) : null;
  }
  const dash = resource.lastIndexOf('-');
  return dash > 0 ? resource.slice(0, dash) : null;
}
