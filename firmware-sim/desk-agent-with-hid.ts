// `thirdring desk` as its own process with its USB devices on stdin/stdout (stdio-hid.ts), for tests and benches.
// Usage: node desk-agent-with-hid.js <devices.json> --config desk.yaml
//   devices.json: [{ "info": { "path", "vendorId", "productId", "usagePage"?, "product"? }, "descriptorFile": "x.hex" }]
//   (descriptor files as `thirdring hid describe` reads them; none for a busylight: its driver reads no descriptor)
// Presence from the PC is off (no logind here): the agent is present, as without a presence source.
import { readFileSync } from 'node:fs';
import { deskCommand } from '../src/desk-agent/command.js';
import { parseHexDescriptor } from '../src/devices/hid-headset/hex-descriptor.js';
import type { HidDeviceInfo } from '../src/devices/hid-headset/types.js';
import { StdioHidBackend } from './stdio-hid.js';

const [devicesFile, ...args] = process.argv.slice(2);
const devices = (JSON.parse(readFileSync(devicesFile!, 'utf8')) as { info: HidDeviceInfo; descriptorFile?: string }[]).map((d) => ({
  info: d.info,
  descriptor: Buffer.from(d.descriptorFile ? parseHexDescriptor(readFileSync(d.descriptorFile, 'utf8')) : []),
}));
const backend = new StdioHidBackend(devices);
await deskCommand(args, { hidBackend: () => backend, presenceSource: null, hidPollMs: 100 });
process.exit(0);
