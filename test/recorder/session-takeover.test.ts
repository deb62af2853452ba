// Issue #14 item 6: two recorders with one client id take the broker's session from each other for as long as both
// run. Each says so once, within seconds, instead of "lost the broker" every two seconds.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/bridge/recorder/recorder.js';
import { sleep, startPersistentMosquitto, startTestAedes, tempDir, until, type TestBroker } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { startThirdring } from '../thirdring-process.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const takeover = (clientId: string) =>
  `thirdring record: another recorder with client id ${clientId} seems to be running (the broker keeps handing the session between them): stop one, or give each its own --client-id\n`;
const count = (text: string, part: string) => text.split(part).length - 1;

async function twoRecorders(broker: TestBroker) {
  const dir = tempDir('thirdring-takeover-');
  const args = (name: string) => ['record', '--url', broker.url, '--site', 't', '--client-id', 'same-id', '--db', join(dir, `${name}.sqlite`)];
  const first = startThirdring(args('first'));
  cleanups.push(() => first.stop('SIGKILL'));
  await until('the first recorder recording', () => first.output.stderr.includes('recording thirdring/t/log'), 15_000);
  const second = startThirdring(args('second'));
  cleanups.push(() => second.stop('SIGKILL'));
  await until('the second recorder recording', () => second.output.stderr.includes('recording thirdring/t/log'), 15_000);
  const fightStarted = Date.now();

  // Each is kicked about every 4 s; the second short session in a row says it (here: about 6 s after the second started).
  await until('both say another recorder has their client id', () => [first, second].every((r) => r.output.stderr.includes(takeover('same-id'))), 15_000);
  const saidAfterMs = Date.now() - fightStarted;
  expect(saidAfterMs).toBeLessThan(12_000);
  // Two more rounds of the fight: nothing more is said.
  await sleep(8000);
  for (const recorder of [first, second]) {
    expect(count(recorder.output.stderr, takeover('same-id'))).toBe(1);
    // The first kick of each, before it could tell, is said as a lost broker; then nothing.
    expect(count(recorder.output.stderr, 'lost the broker')).toBeLessThanOrEqual(1);
    expect(count(recorder.output.stderr, 'recording thirdring/t/log')).toBeLessThanOrEqual(2);
  }

  // One stops: the other's session lasts again, and it says so.
  expect(await second.stop()).toBe(0);
  await until('the first says its session is steady again', () => first.output.stderr.includes(`thirdring record: the session is steady again: recording thirdring/t/log from ${broker.url} as same-id\n`), 20_000);
  expect(await first.stop()).toBe(0);
  return saidAfterMs;
}

describe('two recorders with one client id', () => {
  it('aedes: each says once, within seconds, that another recorder has its client id; says so when it is alone again', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    await twoRecorders(broker);
  }, 60_000);

  itWithTools(['mosquitto'], 'mosquitto: the same', async () => {
    const broker = await startPersistentMosquitto();
    cleanups.push(() => broker.stop());
    await twoRecorders(broker);
  }, 60_000);

  it('a broker restarted again and again, each time within the reconnect period, is a lost broker each time, not another recorder', async () => {
    let broker = await startTestAedes();
    const port = broker.port;
    cleanups.push(() => broker.stop());
    const said: string[] = [];
    const recorder = new Recorder({
      url: broker.url,
      site: 't',
      clientId: 'restart-test',
      store: { ingest: () => ({ inserted: 0, duplicates: 0, conflicts: [] }), close: () => {} },
      report: (message) => said.push(message),
    });
    cleanups.push(() => recorder.stop());
    recorder.start();
    await recorder.ready;
    for (let restart = 1; restart <= 3; restart++) {
      // Each session lasts 2 s and the broker is back before the recorder reconnects, as in a fight; but the
      // broker (aedes, sessions in memory) forgot the session.
      await sleep(2000);
      await broker.stop();
      await sleep(1000);
      broker = await startTestAedes(port);
      await until(`recording again after restart ${restart}`, () => said.filter((m) => m.startsWith('recording ')).length === restart + 1, 10_000);
    }
    expect(said.filter((m) => m.startsWith('lost the broker'))).toHaveLength(3);
    expect(said.join('\n')).not.toMatch(/another recorder/);
  }, 40_000);
});

describe('thirdring record stopped while it connects', () => {
  it('exits at once (mqtt.js, ended before CONNACK, kept the socket open)', async () => {
    const broker = await startTestAedes();
    cleanups.push(() => broker.stop());
    const recorder = startThirdring(['record', '--url', broker.url, '--db', join(tempDir('thirdring-stop-'), 'ring-log.sqlite')]);
    cleanups.push(() => recorder.stop('SIGKILL'));
    await until('started', () => recorder.output.stdout.includes('\n'), 15_000);
    expect(await Promise.race([recorder.stop(), sleep(5000).then(() => 'still running 5 s after SIGTERM')])).toBe(0);
  }, 30_000);
});
