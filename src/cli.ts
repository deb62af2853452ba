#!/usr/bin/env node
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, toCoreConfig } from './bridge/config/load.js';
import { EventsFileError } from './bridge/events-file.js';
import { composeBridge } from './bridge/compose.js';
import { ListenError } from './bridge/listen.js';
import { describeStartup, StartupWatch } from './bridge/console-log.js';
import { describeSummary, startDemo } from './demo/demo.js';
import { describeLogHistory, describeLogTypes, logConnection, logTimeZone, openLogHistory, parseSince, parseTypes, tailLog } from './bridge/log-tail.js';
import { oldDefaultDatabaseNote, openRingLogStore, recordSettings, runRecorder } from './bridge/recorder/record-command.js';
import { fieldsOfDescriptor } from './bridge/device-features/headset-feature.js';
import { untilSignal } from './common/until-signal.js';
import { BUSYLIGHT_USAGE, busylightCommand, BusylightUsageError } from './devices/busylight/busylight-command.js';
import { describeDescriptorFile } from './devices/hid-headset/hex-descriptor.js';
import { listTelephonyDevices, NodeHidBackend } from './devices/hid-headset/node-hid-backend.js';
import { DescriptorError } from './devices/hid-headset/report-descriptor.js';
import type { HidDeviceInfo } from './devices/hid-headset/types.js';
import { KUANDO_BOX_PRODUCT_ID, KUANDO_BOX_VENDOR_ID } from './devices/kuando-box/kuando-box-protocol.js';
import { listSerialPorts } from './devices/serial-ports.js';
import { packageRoot } from './package-root.js';
import { replayToStdout, ReplayOutputError } from './bridge/replay-stream.js';
import { REPORT_USAGE, reportCommand, ReportUsageError } from './bridge/report/report-command.js';
import { isPostgresReport, pgReportCommand } from './bridge/report/pg-report-command.js';
import { EXPORT_USAGE, exportCommand } from './bridge/export/export-command.js';
import { DESK_USAGE, deskCommand } from './desk-agent/command.js';
import { DeskConfigError } from './desk-agent/config.js';

/** A usage mistake or unusable input: printed as one message, exit 2. */
class UsageError extends Error {}

const USAGE = `thirdring — answer before the third ring; the nearest free person answers.

Usage:
  thirdring start [--config thirdring.yaml] [--json]
                                   run the bridge on a real office: devices from the config
  thirdring devices [--json]       serial ports (ring sensors) and telephony headsets on this machine
  thirdring hid describe <file>    what a HID report descriptor (hex bytes in a text file) offers, as JSON
  thirdring busylight frames <model> <alert> [--buzzer off|chirp|ring] | busylight list
                                   the HID reports a busylight is sent for a desk's alert; lights plugged in
  thirdring log [--url U] [--site S] [--line L] [--type T] [--since 1h [--db path]] [--json]
                                   tail the ring log from a broker (what facilities staff run)
  thirdring record [--url U | --config file.yaml] [--site S] [--db path | postgres://…] [--client-id ID]
                                   record the ring log from a broker into SQLite or PostgreSQL (for reports)
  thirdring demo [--minutes N] [--seed N] [--config file.yaml]
                                   a simulated bank branch with broker, floor page and sensors (npm start)
  thirdring replay <config.yaml> <events.jsonl | -> [--indications] [--until T]
                                   run the rules core in virtual time; decisions as JSON Lines
  thirdring check <config.yaml>    validate a config file and summarise it
  thirdring report [--config file.yaml | --db path | --db postgres://… --site all] [--from T --to T] [--by B] [--format F]
                                   service level, missed calls and callbacks from the recorded ring log
  thirdring export [--config file.yaml | --db path] [--from T --to T] [-o events.jsonl]
                                   a recorded period as replay events (what-if: thirdring report --replay)
  thirdring desk [install | away | back] [--config desk.yaml]
                                   the desk agent on a desk's PC: its headset, busylight and presence
  thirdring --help | <command> --help

Exit status: 0 ok, 2 bad usage or bad input (the message names the file and line), 1 other failure.`;

const COMMAND_USAGE: Record<string, string> = {
  replay: `Usage: thirdring replay <config.yaml> <events.jsonl | -> [--indications] [--until T]

Feeds the events (JSON Lines: ring / hook / presence / hold / ack / takeover / tick, each with t in ms since
the epoch, in time order) to the rules core in virtual time and prints its decisions as JSON Lines on stdout,
in time order. The same input always gives the same bytes. "-" reads the events from stdin. Events are run as
they are read and decisions written as they are made, so input and output can be of any length (memory stays
flat) and any reader works (| head stops the run quietly). A bad line stops the run with exit 2, naming the
file (or -) and line, after the decisions of the lines before it. On a terminal, stderr shows progress.
  --indications   also print the per-desk LED/buzzer commands ("indicate")
  --until T       run the clock on to T (ms) after the last event (default: one minute after it)`,
  start: `Usage: thirdring start [--config thirdring.yaml] [--json]

Runs the bridge on a real office: opens the ring sensors named in the config (lines[].sensor), feeds their
rings and hook changes to the rules core, and logs every decision and device event to stdout (readable, or
JSON Lines with --json). It first says what it opened and what not (yet): each ring sensor port (online, not
answering, missing or not openable: those are retried, and an "online" line follows when they answer), the
MQTT broker and its address, the floor page URL and the ring log database; with --json as the first record,
{"type":"startup", ...}. A port it needs that is taken stops it: one line naming the setting, exit 1.
Stops cleanly on Ctrl-C / SIGTERM.`,
  log: `Usage: thirdring log [--url mqtt://host:1883] [--config file.yaml] [--site S] [--line L[,L]] [--type T[,T]]
                     [--since 15m|2h|1d|ISO [--db path]] [--tz ZONE] [--json] [--username U --password P]

Subscribes to the broker's ring log (thirdring/<site>/log, every site unless --site) and prints each entry as a
readable line, or as JSON Lines with --json. Filters combine. --config takes the broker, site, credentials and
TLS files (mqtt.ca, cert, key, rejectUnauthorized) from a bridge config, reaching the broker as the bridge does
(embedded broker: on mqtt.host and mqtt.port); --url, --username and --password override it. Default URL
mqtt://127.0.0.1:1883.
Readable lines show the entry's time and a callback's due and missed times in the office's time zone: --tz (an
IANA zone, e.g. Europe/Amsterdam), else the config's timezone with --config, else this machine's zone. Log
entries name their site, not its zone: tailing several sites, all are shown in that one zone. --json is unchanged
(ts in UTC, dueAt / missedAt in ms since the epoch).
--since shows the ring log from then on out of a recorder's database, then goes on live: --db, else with --config
<dataDir>/<recorder.database>, else the database thirdring record keeps by default (for --site, or every site).
Without one, --since only filters the live entries (said on stderr).
${describeLogTypes()}`,
  record: `Usage: thirdring record [--url mqtt://127.0.0.1:1883 | --config file.yaml] [--site S] [--db path | postgres://user:pw@host/db]
                        [--client-id ID] [--username U --password P]

Records the ring log (thirdring/<site>/log, every site unless --site) into a SQLite database, each entry once.
The broker keeps a session for the client id (default thirdring-recorder-<site or all>-<hostname>) and holds
the log while the recorder is away; an entry is acknowledged only once it is stored. Two recorders with one client
id take the session from each other: give each its own --client-id. --config takes the broker, site and
credentials from a bridge config and records into <dataDir>/<recorder.database>. Default database, in the state
directory ($XDG_STATE_HOME, else ~/.local/state): thirdring/<site>/ring-log.sqlite with --site, else
thirdring/ring-log.sqlite. --db names the file; its folder must exist. --db postgres://… records into PostgreSQL
(the schema is created or upgraded on start); several recorders, each with its own client id, may record into
one. Prints the database and the counts as they change; stops cleanly on Ctrl-C / SIGTERM.`,
  devices: `Usage: thirdring devices [--json]

Lists the serial ports on this machine that a ring sensor could be on (Arduino boards and common USB-serial
chips are marked), with the stable /dev/serial/by-id path to put in the config, and the USB telephony headsets
(vendor, product, serial, path, and the hook switch / LED fields found in their report descriptors), and any
Kuando Busylight Box (a line activity sensor, USB 27bb:3bcc) with its path and serial number.`,
  hid: `Usage: thirdring hid describe <descriptor.txt>

Parses a HID report descriptor given as hex bytes in a text file (whitespace- or comma-separated two-digit
bytes, optional 0x, # starts a comment) and prints JSON: {"telephony", "inputs": {"hookSwitch", "phoneMute",
"flash"}, "outputs": {"ring", "offHook", "mute", "hold"}}, each field {reportId, bitOffset, bitSize, relative}
or null. Bad hex or a broken descriptor: exit 2 with the byte offset of the problem.`,
  busylight: BUSYLIGHT_USAGE,
  demo: `Usage: thirdring demo [--minutes N] [--seed N] [--config file.yaml]

Runs the whole product on a simulated office, no hardware needed: the embedded MQTT broker, the bridge and its
live floor page (printed URL), ring sensors emulated on real pseudo-terminals (needs socat) and a simulated desk
unit on every desk. Calls arrive at random with the lines' cadences; some are answered by the nearest person,
some late, some missed. First the floor page URL and the broker; then every decision as it is made (the
simulated devices' own comings and goings are not printed; faults are); Ctrl-C stops and prints the calls and
the service level. A preferred port that is in use (1883, 8080, 8083) is replaced by a free one, and said so.
  --config    office to simulate (default: examples/demo-office.yaml, a 20-desk bank branch)
  --minutes   length of the simulated day, in real time (default 60)
  --seed      the random day to simulate (default: a new one each run; printed so it can be repeated)`,
  check: `Usage: thirdring check <config.yaml>

Validates the config (every problem is listed with its path) and prints a one-line summary.`,
  report: REPORT_USAGE,
  export: EXPORT_USAGE,
  desk: DESK_USAGE,
};

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, Command> = {
  desk: (args) => deskCommand(args),
  async replay(args) {
    const { values, positionals } = parse(args, { indications: { type: 'boolean' }, until: { type: 'string' } });
    const [configFile, eventsFile, ...extra] = positionals;
    if (!configFile || !eventsFile || extra.length) throw new UsageError(COMMAND_USAGE.replay!);
    const until = values.until === undefined ? undefined : Number(values.until);
    if (until !== undefined && !Number.isFinite(until)) throw new UsageError(`--until: expected a time in ms (the events' clock), got "${values.until}"`);
    const config = toCoreConfig(loadConfigFile(configFile));
    try {
      await replayToStdout(config, eventsFile, { indications: values.indications === true, ...(until === undefined ? {} : { until }) });
    } catch (error) {
      if (!(error instanceof ReplayOutputError)) throw error;
      process.stderr.write(`thirdring replay: ${error.message}\n`);
      process.exit(1);
    }
  },
  async start(args) {
    const { values } = parse(args, { config: { type: 'string' }, json: { type: 'boolean' } });
    const configFile = (values.config as string | undefined) ?? 'thirdring.yaml';
    const config = loadConfigFile(configFile);
    const json = values.json === true;
    const { bridge, features } = composeBridge(config, { log: { write: (line) => process.stdout.write(line + '\n'), json } });
    const stop = untilSignal();
    const watch = new StartupWatch(bridge);
    await bridge.start();
    const startup = await watch.report({ configFile, ...features }, stop);
    features.log.begin(json ? [JSON.stringify(startup)] : describeStartup(startup));
    await stop;
    await bridge.stop();
  },
  async log(args) {
    const { values } = parse(args, {
      url: { type: 'string' }, config: { type: 'string' }, site: { type: 'string' }, line: { type: 'string' }, type: { type: 'string' },
      since: { type: 'string' }, db: { type: 'string' }, tz: { type: 'string' }, json: { type: 'boolean' }, username: { type: 'string' }, password: { type: 'string' },
    });
    const stop = untilSignal();
    const str = (key: keyof typeof values) => values[key] as string | undefined;
    const config = str('config') ? loadConfigFile(str('config')!) : null;
    const site = str('site') ?? config?.site;
    let broker, timeZone, since: number | undefined, types: string[] | undefined, history;
    try {
      broker = logConnection({ url: str('url'), username: str('username'), password: str('password') }, config);
      timeZone = logTimeZone(str('tz'), config);
      since = str('since') !== undefined ? parseSince(str('since')!) : undefined;
      types = str('type') !== undefined ? parseTypes(str('type')!) : undefined;
      if (str('db') !== undefined && since === undefined) throw new Error('--db: the ring log is read from --since on; give --since too');
      history = since !== undefined ? openLogHistory(str('db'), config, site) : null;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (history) process.stderr.write(`thirdring log: ${describeLogHistory(history, since!, timeZone)}\n`);
    const lines = str('line')?.split(',').map((s) => s.trim()).filter(Boolean);
    const tail = tailLog({
      url: broker.url,
      connect: broker.options,
      filter: { ...(site ? { site } : {}), ...(lines ? { lines } : {}), ...(types ? { types } : {}), ...(since !== undefined ? { since } : {}) },
      json: values.json === true,
      timeZone,
      ...(history?.path ? { history: history.reader } : {}),
      write: (line) => process.stdout.write(line + '\n'),
      onError: (message) => process.stderr.write(`thirdring log: ${message}\n`),
    });
    await stop;
    await tail.stop();
  },
  async record(args) {
    const { values } = parse(args, {
      url: { type: 'string' }, config: { type: 'string' }, site: { type: 'string' }, db: { type: 'string' }, 'client-id': { type: 'string' },
      username: { type: 'string' }, password: { type: 'string' },
    });
    const str = (key: keyof typeof values) => values[key] as string | undefined;
    const config = str('config') ? loadConfigFile(str('config')!) : null;
    let settings, store;
    try {
      settings = recordSettings({ url: str('url'), site: str('site'), db: str('db'), clientId: str('client-id'), username: str('username'), password: str('password') }, config);
      store = await openRingLogStore(settings, (message) => process.stderr.write(`thirdring record: ${message}\n`));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const note = oldDefaultDatabaseNote(settings);
    if (note) process.stderr.write(`thirdring record: ${note}\n`);
    const stop = untilSignal().then(() => {});
    const write = (stream: NodeJS.WriteStream) => (line: string) => void stream.write(line + '\n');
    await runRecorder(settings, store, stop, write(process.stdout), write(process.stderr));
  },
  async devices(args) {
    const { values } = parse(args, { json: { type: 'boolean' } });
    const ports = await listSerialPorts();
    let headsets: ReturnType<typeof listTelephonyDevices> = [];
    let kuandoBoxes: HidDeviceInfo[] = [];
    let hidError: string | null = null;
    try {
      const hid = new NodeHidBackend();
      headsets = listTelephonyDevices(hid, fieldsOfDescriptor);
      kuandoBoxes = hid.list().filter((d) => d.vendorId === KUANDO_BOX_VENDOR_ID && d.productId === KUANDO_BOX_PRODUCT_ID);
    } catch (error) {
      hidError = (error as Error).message;
    }
    if (values.json === true) {
      return void process.stdout.write(JSON.stringify({ serial: ports, headsets, kuandoBoxes, ...(hidError ? { hidError } : {}) }, null, 2) + '\n');
    }
    const out = (line: string) => process.stdout.write(line + '\n');
    out('Serial ports (ring sensors):');
    if (ports.length === 0) out('  none found (is the ring sensor plugged in? see hardware/)');
    for (const port of ports) {
      const usb = port.vendorId ? ` usb ${port.vendorId}:${port.productId ?? '????'}` : '';
      const about = [port.manufacturer, port.serialNumber && `serial ${port.serialNumber}`, port.likely && `likely: ${port.likely}`].filter(Boolean).join(', ');
      out(`  ${port.byId ?? port.path}${port.byId ? ` (${port.path})` : ''}${usb}${about ? ` — ${about}` : ''}`);
    }
    out('Telephony headsets (USB HID):');
    if (hidError) out(`  cannot list HID devices: ${hidError}`);
    else if (headsets.length === 0) out('  none found');
    for (const h of headsets) {
      const d = h.device;
      const id = `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`;
      const name = [d.manufacturer, d.product].filter(Boolean).join(' ') || 'unknown device';
      const found = h.status === 'telephony' && h.fields
        ? `hook switch ${h.fields.inputs.hookSwitch ? 'yes' : h.fields.inputs.flash ? 'no (flash button)' : 'no'}, ring LED ${h.fields.outputs.ring ? 'yes' : 'no'}, off-hook LED ${h.fields.outputs.offHook ? 'yes' : 'no'}`
        : `descriptor not readable: ${'error' in h ? h.error : ''} (see README: udev rule)`;
      out(`  ${d.path}  usb ${id}  ${name}${d.serialNumber ? `, serial ${d.serialNumber}` : ''} — ${found}`);
    }
    if (kuandoBoxes.length > 0) out('Kuando Busylight Boxes (line activity sensors, kuandoBoxes in the config):');
    for (const box of kuandoBoxes) out(`  ${box.path}  usb 27bb:3bcc${box.serialNumber ? `, serial ${box.serialNumber}` : ''}`);
  },
  hid(args) {
    const { positionals } = parse(args, {});
    if (positionals[0] !== 'describe' || positionals.length !== 2) throw new UsageError(COMMAND_USAGE.hid!);
    try {
      process.stdout.write(JSON.stringify(describeDescriptorFile(positionals[1]!)) + '\n');
    } catch (error) {
      if (error instanceof DescriptorError) throw new UsageError(error.message);
      if ((error as NodeJS.ErrnoException).code) throw new UsageError(`${positionals[1]}: cannot read (${(error as NodeJS.ErrnoException).code})`);
      throw error;
    }
  },
  busylight(args) {
    try {
      busylightCommand(args, (line) => process.stdout.write(line + '\n'), () => new NodeHidBackend());
    } catch (error) {
      throw error instanceof BusylightUsageError ? new UsageError(error.message) : error;
    }
  },
  async demo(args) {
    const { values } = parse(args, { config: { type: 'string' }, minutes: { type: 'string' }, seed: { type: 'string' } });
    const configFile = (values.config as string | undefined) ?? join(packageRoot(), 'examples', 'demo-office.yaml');
    const minutes = positiveNumber('--minutes', (values.minutes as string | undefined) ?? '60');
    const seed = Math.floor(positiveNumber('--seed', (values.seed as string | undefined) ?? String(1 + Math.floor(Math.random() * 1e6))));
    const write = (line: string) => process.stdout.write(line + '\n');
    const durationMs = minutes * 60_000;
    // From the start: Ctrl-C while the demo starts stops it once started; a second one leaves at once (socat
    // and the demo's data folder are removed on exit).
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const stopAsked = untilSignal(signals).then(() => {
      for (const signal of signals) process.on(signal, () => process.exit(130));
    });
    // startDemo prints the banner (floor page URL first) before the day's first decision.
    const demo = await startDemo({ configFile, seed, durationMs, write });
    await Promise.race([demo.finished, stopAsked]);
    const summary = await demo.stop();
    write('');
    for (const line of describeSummary(summary, durationMs)) write(line);
  },
  check(args) {
    const { positionals } = parse(args, {});
    if (positionals.length !== 1) throw new UsageError(COMMAND_USAGE.check!);
    const config = loadConfigFile(positionals[0]!);
    process.stdout.write(`${positionals[0]}: ok — site ${config.site}, ${config.desks.length} desks, ${config.lines.length} lines, answer by ring ${config.rules.answerBy}\n`);
  },
  async report(args) {
    try {
      process.stdout.write(isPostgresReport(args) ? await pgReportCommand(args) : reportCommand(args));
    } catch (error) {
      throw error instanceof ReportUsageError ? new UsageError(error.message) : error;
    }
  },
  async export(args) {
    try {
      await exportCommand(args);
    } catch (error) {
      throw error instanceof ReportUsageError ? new UsageError(error.message) : error;
    }
  },
};

function parse(args: string[], options: Record<string, { type: 'boolean' | 'string' }>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag}: expected a number > 0, got "${text}"`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  // Object.hasOwn: `thirdring constructor` must not find Object's constructor on the prototype.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`thirdring: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write((Object.hasOwn(COMMAND_USAGE, name) ? COMMAND_USAGE[name] : USAGE) + '\n');
    return 0;
  }
  try {
    await command(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof EventsFileError || error instanceof DeskConfigError) {
      process.stderr.write(`thirdring ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ListenError) {
      process.stderr.write(`thirdring ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
