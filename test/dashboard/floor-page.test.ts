import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { DashboardFeature } from '../../src/bridge/dashboard/dashboard-feature.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { sleep, subscriber, tempDir, until } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';
import { manualClock } from '../manual-clock.js';
import { watch } from './page-watch.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Two rows of desks; "front" rings nearest Anna (then Dev and Bram), "back" nearest Femke.
const floorPlan = `desks:
  - { id: anna, name: Anna, at: [2.5, 1.5] }
  - { id: bram, name: Bram, at: [5, 1.5] }
  - { id: chloe, name: Chloe, at: [7.5, 1.5] }
  - { id: dev, name: Dev, at: [2.5, 4.5] }
  - { id: eva, name: Eva, at: [5, 4.5] }
  - { id: femke, name: Femke, at: [7.5, 4.5] }
lines:
  - { id: front, name: Front desk, phone: { at: [0.3, 2.4] }, cadence: nl }
  - { id: back, name: Back office, phone: { at: [9.8, 3.7] }, cadence: nl }
`;

const yaml = `
site: branch-01
${floorPlan}mqtt: { port: 0, wsPort: 0 }
dashboard: { port: 0 }
`;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The README screenshot (docs/floor-page.png) comes from the second test, written to docs/ only when asked
 * (THIRDRING_DOCS_SCREENSHOT=1), so a test run leaves the tree clean.
 */
const docsScreenshot = process.env.THIRDRING_DOCS_SCREENSHOT === '1';
const screenshotPath = join(root, 'test', 'out', 'floor-page.png');

/** One browser for the tests in this file, started by the first that needs it (launching it takes seconds). */
let launched: Promise<Browser> | null = null;
const browser = () => (launched ??= chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }));
afterAll(async () => {
  await (await launched?.catch(() => null))?.close();
});

// The desks above, a third line ringing nearest Dev, a lunch schedule for Eva, and the office in
// Amsterdam (UTC+1 in March): the test plays a Monday afternoon and a Tuesday morning on a clock it moves by hand.
const dayYaml = `
site: branch-01
timezone: Europe/Amsterdam
${floorPlan}  - { id: sales, name: Sales, phone: { at: [0.3, 5.6] }, cadence: nl }
rules: { holdCheckSeconds: 60 }
schedules:
  - { name: lunch, desks: [eva], away: ["12:00", "13:00"] }
mqtt: { port: 0, wsPort: 0 }
dashboard: { port: 0 }
`;


/** mqtt.js runs its timers in a worker from a blob: URL, which names the page's own origin. */
const hostOf = (url: string) => new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url).hostname;

/** Amsterdam wall-clock time in March 2026 (CET, UTC+1). */
const amsterdam = (dateTime: string) => Date.parse(`${dateTime}+01:00`);

describe('the live floor page in a real browser', () => {
  itWithTools(['chromium'], 'follows a call live: nearest desk ANSWER, nearby desks at ring 2, answered, service level', async () => {
    const bridge = new Bridge({ ...parseConfig(yaml), dataDir: tempDir('thirdring-floor-') });
    const mqtt = new MqttFeature(bridge);
    const dash = new DashboardFeature(bridge, mqtt);
    bridge.use(mqtt).use(dash);
    const context = await (await browser()).newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await bridge.start();
      const page = await context.newPage();
      const { problems, urls } = watch(page);

      const attr = (selector: string, name: string) => page.getAttribute(selector, name, { timeout: 2000 });
      const text = (selector: string) => page.textContent(selector, { timeout: 2000 }).then((t) => t?.replace(/\s+/g, ' ').trim());
      const alert = (desk: string) => attr(`[data-desk="${desk}"]`, 'data-alert');
      const soon = { timeout: 3000, interval: 25 };

      await page.goto(dash.url!);
      await page.waitForSelector('body[data-ready="true"] [data-desk="anna"]', { timeout: 5000 });
      await page.waitForSelector('#mqtt-status[data-status="live"]', { timeout: 5000 });
      await page.waitForSelector('#bridge-status[data-status="online"]', { timeout: 5000 });
      expect(await page.locator('[data-desk]').count()).toBe(6);
      expect(await page.locator('.line-card[data-line]').count()).toBe(2);
      expect(await text('#service-level')).toBe('—');
      expect(await attr('[data-line="front"]', 'data-state')).toBe('idle');

      // A call on "back", answered at once by Femke (on time) and hung up: the first finished call of the day.
      bridge.input({ type: 'ring', line: 'back', state: 'on' });
      await expect.poll(() => alert('femke'), soon).toBe('yours');
      bridge.input({ type: 'hook', desk: 'femke', state: 'off' });
      bridge.input({ type: 'ring', line: 'back', state: 'off' });
      bridge.input({ type: 'hook', desk: 'femke', state: 'on' });
      await expect.poll(() => text('#service-level'), soon).toBe('100 %');
      await expect.poll(() => attr('[data-line="back"]', 'data-state'), soon).toBe('answered');
      expect(await text('[data-line="back"]')).toMatch(/ANSWERED by Femke.*on time.*call ended/);
      // Femke steps away, Chloe makes a call of her own.
      bridge.input({ type: 'presence', desk: 'femke', state: 'away' });
      bridge.input({ type: 'hook', desk: 'chloe', state: 'off' });
      await expect.poll(() => attr('[data-desk="femke"]', 'data-presence'), soon).toBe('away');
      await expect.poll(() => text('[data-desk="chloe"] .badge'), soon).toBe('on call');
      expect(await text('[data-desk="femke"] .badge')).toBe('away');

      // Ring 1 on "front": Anna, the nearest free desk, is asked to answer, well within one ring (5 s).
      const ringAt = Date.now();
      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      await page.waitForSelector('[data-desk="anna"][data-alert="yours"]', { timeout: 2000 });
      const ledLatencyMs = Date.now() - ringAt;
      expect(ledLatencyMs).toBeLessThan(1500);
      expect(await text('[data-desk="anna"] .badge')).toBe('ANSWER');
      await expect.poll(() => attr('[data-line="front"]', 'data-state'), soon).toBe('ringing');
      expect(await text('[data-line="front"] .headline')).toBe('ring 1 of 3');
      // Level 1 is Anna alone: the card says who and for how long.
      await expect.poll(() => text('[data-line="front"] .detail'), soon).toMatch(/^→ Anna answers · \d+ s$/);
      expect(await text('[data-phone="front"] .ring-text')).toBe('ring 1 of 3');
      expect(await attr('[data-link="front"]', 'data-shown')).toBe('true');
      for (const desk of ['bram', 'chloe', 'dev', 'eva', 'femke']) expect(await alert(desk)).toBe('none');
      // The LED pattern is an animation (fast blink, 250 ms); with reduced motion, stripes instead.
      const annaBody = page.locator('[data-desk="anna"] .body');
      expect(await annaBody.evaluate((e) => [getComputedStyle(e).animationName, getComputedStyle(e).animationDuration])).toEqual(['led-blink', '0.25s']);
      await page.emulateMedia({ reducedMotion: 'reduce' });
      expect(await annaBody.evaluate((e) => getComputedStyle(e).animationName)).toBe('none');
      expect(await page.locator('[data-desk="anna"] .stripes').evaluate((e) => getComputedStyle(e).display)).not.toBe('none');
      await page.emulateMedia({ reducedMotion: 'no-preference' });

      // The NL cadence (1 s on, 4 s off): ring 2 is the next burst at least 2.5 s after ring 1 began.
      await sleep(ringAt + 1000 - Date.now());
      bridge.input({ type: 'ring', line: 'front', state: 'off' });
      await sleep(ringAt + 2700 - Date.now());
      bridge.input({ type: 'ring', line: 'front', state: 'on' });
      await expect.poll(() => alert('dev'), soon).toBe('nearby');
      await expect.poll(() => alert('bram'), soon).toBe('nearby');
      expect(await alert('anna')).toBe('yours');
      expect(await alert('eva')).toBe('none');
      expect(await text('[data-desk="dev"] .badge')).toBe('nearby');
      await expect.poll(() => attr('[data-desk="anna"]', 'data-buzzer'), soon).toBe('chirp');
      await expect.poll(() => text('[data-line="front"] .headline'), soon).toBe('ring 2 of 3');
      await expect.poll(() => text('[data-line="front"] .detail'), soon).toMatch(/^→ Anna answers · level 2/);
      await expect.poll(() => page.locator('#recent li').count(), soon).toBe(8);
      expect(await text('#recent li:first-child time')).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(await text('#recent li:first-child .where')).toBe('Front desk');
      expect(await text('#recent li:first-child .what')).toBe('↑ level 2: anna, dev, bram');
      mkdirSync(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath });

      // Anna picks up during ring 2: answered on time; her desk is on the call, no longer asked to answer.
      bridge.input({ type: 'ring', line: 'front', state: 'off' });
      bridge.input({ type: 'hook', desk: 'anna', state: 'off' });
      await expect.poll(() => attr('[data-line="front"]', 'data-state'), soon).toBe('answered');
      expect(await text('[data-line="front"]')).toMatch(/ANSWERED by Anna.*after \d\.\d s \(2 rings\) — ✓ on time · on call/);
      await expect.poll(() => alert('anna'), soon).toBe('none');
      expect(await attr('[data-desk="anna"]', 'data-busy')).toBe('true');
      for (const desk of ['bram', 'dev']) await expect.poll(() => alert(desk), soon).toBe('none');
      expect(await attr('[data-link="front"]', 'data-shown')).toBe('false');
      await expect.poll(() => text('#count-calls'), soon).toBe('2');
      expect(await text('#service-level')).toBe('100 %');
      expect(await text('#count-ontime')).toBe('2');
      expect(await text('#count-late')).toBe('0');
      expect(await text('#count-missed')).toBe('0');
      expect(await text('#count-ringing')).toBe('0');
      expect(await text('#service-label')).toBe('of 2 finished calls answered before ring 3');
      expect(await text('#recent li:first-child .what')).toMatch(/^answered at anna after 2 rings, \d\.\d s — on time$/);

      // What the page counted live matches the bridge's own count after a reload (from /api/state).
      const live = await page.evaluate(() => ({
        recent: [...document.querySelectorAll('#recent li')].map((li) => li.textContent),
        counts: ['#service-level', '#count-calls', '#count-ontime', '#count-late', '#count-missed', '#count-ringing'].map((s) => document.querySelector(s)!.textContent),
      }));
      expect(live.recent).toHaveLength(9);
      await page.reload();
      await page.waitForSelector('#mqtt-status[data-status="live"]', { timeout: 5000 });
      const reloaded = await page.evaluate(() => ({
        recent: [...document.querySelectorAll('#recent li')].map((li) => li.textContent),
        counts: ['#service-level', '#count-calls', '#count-ontime', '#count-late', '#count-missed', '#count-ringing'].map((s) => document.querySelector(s)!.textContent),
      }));
      expect(reloaded).toEqual(live);
      expect(await attr('[data-line="front"]', 'data-state')).toBe('answered');

      // A narrow window: the side panel goes under the plan (once the plan is laid out for its new size).
      await page.setViewportSize({ width: 600, height: 900 });
      await page.waitForFunction(() => {
        const { width, height } = document.querySelector('.plan-box')!.getBoundingClientRect();
        return document.querySelector('#plan')!.getAttribute('data-size') === `${Math.round(width)}x${Math.round(height)}`;
      });
      const [plan, panel] = await Promise.all(['#plan', 'aside.panel'].map((s) => page.locator(s).boundingBox()));
      expect(panel!.y).toBeGreaterThan(plan!.y + plan!.height);
      expect(plan!.width).toBeLessThanOrEqual(600);

      expect(problems).toEqual([]);
      const hosts = new Set(urls.map(hostOf));
      expect([...hosts]).toEqual(['127.0.0.1']);
      expect(urls.some((url) => url.startsWith('ws://127.0.0.1:'))).toBe(true);
    } finally {
      await context.close();
      await bridge.stop();
    }
  }, 30_000);

  itWithTools(['chromium'], 'shows HOLD, covering / covered by, lunch, CALLBACK DUE, the callbacks owed and today\'s chart', async () => {
    const { clock, advanceTo } = manualClock(amsterdam('2026-03-09T10:59:00'));
    const bridge = new Bridge({ ...parseConfig(dayYaml), dataDir: tempDir('thirdring-floor-day-') }, clock);
    const mqtt = new MqttFeature(bridge);
    const dash = new DashboardFeature(bridge, mqtt);
    bridge.use(mqtt).use(dash);
    const context = await (await browser()).newContext({ viewport: { width: 1280, height: 1180 } });
    /** A call that rings `rings` times (NL cadence: 1 s on, 4 s off) and is answered at `desk`, or missed. */
    const call = (line: string, rings: number, desk: string | null) => {
      const start = clock.now();
      for (let ring = 0; ring < rings; ring++) {
        advanceTo(start + ring * 5000);
        bridge.input({ type: 'ring', line, state: 'on' });
        if (desk && ring === rings - 1) {
          advanceTo(start + ring * 5000 + 500);
          bridge.input({ type: 'hook', desk, state: 'off' });
        }
        advanceTo(start + ring * 5000 + 1000);
        bridge.input({ type: 'ring', line, state: 'off' });
      }
      // A missed call ends when no burst came for a ring period and a margin.
      if (!desk) advanceTo(clock.now() + 10_000);
    };
    const hangUp = (desk: string) => bridge.input({ type: 'hook', desk, state: 'on' });
    let log: Awaited<ReturnType<typeof subscriber>> | null = null;
    try {
      await bridge.start();
      // The ring log as the page gets it over MQTT.
      log = await subscriber(mqtt.broker!.url, ['thirdring/branch-01/log']);

      // Monday 11:00: a call on "back" nobody answers. Femke, nearest its phone, owes the callback: due Tuesday 11:00.
      advanceTo(amsterdam('2026-03-09T11:00:00'));
      call('back', 2, null);
      // Tuesday morning.
      advanceTo(amsterdam('2026-03-10T09:00:00'));

      const page = await context.newPage();
      const { problems, urls } = watch(page);
      // The page shows the bridge's time (from /api/state, and never behind the newest log entry), not the screen's.
      const moveTo = (t: number) => advanceTo(t);

      const attr = (selector: string, name: string) => page.getAttribute(selector, name, { timeout: 2000 });
      const text = (selector: string) => page.textContent(selector, { timeout: 2000 }).then((t) => t?.replace(/\s+/g, ' ').trim());
      const badge = (desk: string) => text(`[data-desk="${desk}"] .badge`);
      /** A callback row as read: its parts, one per line of innerText. */
      const row = (selector: string) => page.locator(selector).innerText({ timeout: 2000 }).then((t) => t.split(/\s*\n\s*/).join(' | '));
      /** The n-th ring log entry: time, what it is about (a line or a desk), what happened. */
      const logEntry = (n: number) => page.locator(`#recent li:nth-child(${n})`).evaluate((li) => ['time', '.where', '.what'].map((s) => li.querySelector(s)?.textContent ?? ''));
      const soon = { timeout: 3000, interval: 25 };

      await page.goto(dash.url!);
      await page.waitForSelector('#mqtt-status[data-status="live"]', { timeout: 5000 });
      await expect.poll(() => text('#clock'), soon).toMatch(/^09:00:0\d$/);
      // Monday's call is not today's: no calls yet, but the callback it left is owed.
      expect(await text('#count-calls')).toBe('0');
      expect(await page.locator('#callbacks li.callback').count()).toBe(1);
      expect(await row('#callbacks li.callback')).toBe('Back office | → Femke | missed Mon 11:00 | due 11:00');
      expect(await attr('#callbacks li.callback', 'data-overdue')).toBe('false');
      expect(await text('#callbacks-open')).toBe('1');
      expect(await text('#callbacks-today')).toBe('0');
      await page.waitForSelector('#chart[data-loaded="true"]', { timeout: 3000 });
      expect(await page.locator('#chart svg text', { hasText: 'No calls in this period' }).count()).toBe(1);

      // 09:10 answered at once by Anna; 09:40 a missed call on "back" (Femke owes it); 10:15 answered late;
      // 11:20 a missed call on "front" (Anna owes it). Two hours with a missed call.
      moveTo(amsterdam('2026-03-10T09:10:00'));
      call('front', 1, 'anna');
      hangUp('anna');
      moveTo(amsterdam('2026-03-10T09:40:00'));
      call('back', 1, null);
      await expect.poll(() => page.locator('#callbacks li.callback').count(), soon).toBe(2);
      expect(await row('#callbacks li.callback:nth-child(2)')).toBe('Back office | → Femke | missed 09:40 | due Wed 09:40');
      expect(await text('#callbacks-today')).toBe('1');
      // The ring log writes the callback's due time as the panel does (Monday's callback, from the snapshot, too):
      // in the office's time zone, "Wed 09:40" and today's "11:00", not "2026-03-11 08:40Z".
      const owedTexts = ['callback owed by femke, due Wed 09:40', 'callback owed by femke, due 11:00'];
      const owedInLog = () => page.locator('#recent li .what').allTextContents().then((all) => all.filter((t) => t.startsWith('callback owed by femke')));
      await expect.poll(owedInLog, soon).toEqual(owedTexts);
      // The same entry arriving over MQTT once more, after a snapshot that has it already (a reconnect: the page
      // subscribes, then takes /api/state): recognised as one, neither listed nor counted twice.
      const owed = await until('the 09:40 callback-owed log entry', () => log!.received.find((r) => {
        const entry = JSON.parse(r.payload);
        return entry.type === 'callback-owed' && entry.missedAt >= amsterdam('2026-03-10T09:40:00');
      }));
      // The bridge words it, in the office's zone (Amsterdam), whatever zone the bridge's machine or the screen is in.
      expect(JSON.parse(owed.payload)).toMatchObject({ subject: 'back', text: 'callback owed by femke, due 2026-03-11 09:40' });
      // The page's own live module: the same instance the page runs (a module is loaded once per page).
      await page.evaluate(`import('/live.js').then((live) => live.resync().then(() => live.onMessage(${JSON.stringify(owed.topic)}, ${JSON.stringify(owed.payload)})))`);
      await sleep(100);
      expect(await owedInLog()).toEqual(owedTexts);
      expect(await text('#callbacks-today')).toBe('1');
      moveTo(amsterdam('2026-03-10T10:15:00'));
      call('front', 3, 'anna');
      hangUp('anna');
      // Monday's callback falls overdue at 11:00: Femke's desk shows CALLBACK DUE (amber, steady).
      moveTo(amsterdam('2026-03-10T11:05:00'));
      await expect.poll(() => badge('femke'), soon).toBe('CALLBACK DUE');
      expect(await attr('[data-desk="femke"]', 'data-alert')).toBe('callback');
      expect(await attr('[data-desk="femke"]', 'data-pattern')).toBe('solid');
      await expect.poll(() => attr('#callbacks li.callback:first-child', 'data-overdue'), soon).toBe('true');
      expect(await text('#callbacks li.callback:first-child .cb-due')).toBe('OVERDUE since 11:00');
      expect(await text('#callbacks-overdue')).toBe('1');
      moveTo(amsterdam('2026-03-10T11:20:00'));
      call('front', 2, null);
      await expect.poll(() => page.locator('#callbacks li.callback').count(), soon).toBe(3);
      expect(await row('#callbacks li.callback:last-child')).toBe('Front desk | → Anna | missed 11:20 | due Wed 11:20');
      await expect.poll(() => text('#count-missed'), soon).toBe('2');
      expect(await text('#count-calls')).toBe('4');
      expect(await text('#count-late')).toBe('1');
      expect(await text('#service-level')).toBe('25 %');

      // Lunch: Eva is away by schedule; Chloe goes to lunch and Bram takes her calls. A desk with nothing more
      // pressing to show says so in its badge, and a line joins Bram's desk to Chloe's.
      moveTo(amsterdam('2026-03-10T12:05:00'));
      bridge.input({ type: 'presence', desk: 'chloe', state: 'away' });
      bridge.input({ type: 'takeover', desk: 'bram', from: 'chloe', state: 'on' });
      await expect.poll(() => badge('bram'), soon).toBe('covering Chloe');
      await expect.poll(() => badge('chloe'), soon).toBe('covered by Bram');
      expect(await attr('[data-desk="bram"]', 'data-cover')).toBe('covering');
      expect(await attr('[data-desk="chloe"]', 'data-cover')).toBe('covered');
      expect(await attr('[data-desk="chloe"]', 'data-presence')).toBe('away');
      expect(await page.locator('#plan .cover-link').count()).toBe(1);
      await expect.poll(() => badge('eva'), soon).toBe('schedule: lunch');
      expect(await attr('[data-desk="eva"]', 'data-presence')).toBe('away');
      await expect.poll(() => logEntry(1), soon).toEqual(['12:05:00', 'Bram', "bram takes chloe's calls"]);
      expect(await logEntry(2)).toEqual(['12:00:00', 'Eva', 'eva away (schedule lunch)']);

      // 12:10 Anna answers a call on "front" and puts it on hold; a minute later (rules.holdCheckSeconds) her desk
      // reminds her to check back: HOLD (blue, steady), the buzzer chirps for a moment.
      moveTo(amsterdam('2026-03-10T12:10:00'));
      call('front', 1, 'anna');
      moveTo(amsterdam('2026-03-10T12:10:20'));
      bridge.input({ type: 'hold', desk: 'anna', state: 'on' });
      await expect.poll(() => text('[data-line="front"] .chip'), soon).toBe('ON HOLD');
      expect(await badge('anna')).toBe('on call');
      moveTo(amsterdam('2026-03-10T12:11:21'));
      await expect.poll(() => badge('anna'), soon).toBe('HOLD');
      expect(await attr('[data-desk="anna"]', 'data-alert')).toBe('hold');
      await expect.poll(() => attr('[data-desk="anna"]', 'data-buzzer'), soon).toBe('chirp');
      moveTo(amsterdam('2026-03-10T12:11:24'));
      await expect.poll(() => attr('[data-desk="anna"]', 'data-buzzer'), soon).toBe('off');
      expect(await badge('anna')).toBe('HOLD');
      await expect.poll(() => text('[data-line="front"] .detail'), soon).toMatch(/^held 1 min 0\d s — check back$/);
      expect(await text('[data-line="front"] .headline')).toBe('at Anna');
      expect(await text('[data-line="front"] .state-row')).toBe('ON HOLD at Anna');
      expect(await text('[data-phone="front"] .ring-text')).toBe('on hold');
      expect(await text('#recent li:first-child .what')).toBe('on hold 60.0 s — check back with the caller (anna)');
      // Each alert has its own outline, and HOLD / CALLBACK DUE do not blink (nor anything with reduced motion).
      const dashes = (desk: string) => page.locator(`[data-desk="${desk}"] .halo`).evaluate((e) => getComputedStyle(e).strokeDasharray);
      expect(new Set([await dashes('anna'), await dashes('femke')]).size).toBe(2);
      expect(await page.locator('[data-desk="anna"] .body').evaluate((e) => getComputedStyle(e).animationName)).toBe('none');

      // A call rings on "sales": Dev, nearest its phone, answers (Anna is on her held call).
      bridge.input({ type: 'ring', line: 'sales', state: 'on' });
      await expect.poll(() => badge('dev'), soon).toBe('ANSWER');

      // Today's chart: 5 calls from 09:00 to 13:00, missed in two of those hours (bars with their counts).
      await expect.poll(() => attr('#chart', 'data-missed-hours'), { timeout: 7000, interval: 50 }).toBe('2');
      expect(await page.locator('#chart .missed-label').allTextContents()).toEqual(['1', '1']);
      expect(await page.locator('#chart .axis-hours text').allTextContents()).toEqual(['09', '10', '11', '12', 'hour of day']);
      const dayShot = docsScreenshot ? join(root, 'docs', 'floor-page.png') : join(root, 'test', 'out', 'floor-page-day.png');
      mkdirSync(dirname(dayShot), { recursive: true });
      await page.screenshot({ path: dayShot, fullPage: true });

      // The same chart as a standalone SVG.
      const svg = await fetch(new URL('/api/chart.svg', dash.url!));
      expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      const body = await svg.text();
      expect(body.match(/class="missed-bar"/g)).toHaveLength(2);
      expect(body).toContain('branch-01 · 2026-03-10 · Europe/Amsterdam');
      const callbacks = (await (await fetch(new URL('/api/callbacks', dash.url!))).json()) as { callbacks: { desk: string; overdue: boolean }[] };
      expect(callbacks.callbacks.map((c) => [c.desk, c.overdue])).toEqual([['femke', true], ['femke', false], ['anna', false]]);

      // Femke presses her button: Monday's callback is returned; the reminder goes off and the list follows.
      bridge.input({ type: 'ack', desk: 'femke' });
      await expect.poll(() => page.locator('#callbacks li.callback').count(), soon).toBe(2);
      await expect.poll(() => badge('femke'), soon).toBe('free');
      expect(await text('#callbacks-overdue')).toBe('0');
      // Bram gives Chloe's calls back.
      bridge.input({ type: 'takeover', desk: 'bram', from: 'chloe', state: 'off' });
      await expect.poll(() => attr('[data-desk="bram"]', 'data-note'), soon).toBe('none');
      expect(await attr('[data-desk="chloe"]', 'data-cover')).toBe('none');
      expect(await badge('bram')).toBe('free');
      expect(await page.locator('#plan .cover-link').count()).toBe(0);

      expect(problems).toEqual([]);
      expect(new Set(urls.map(hostOf))).toEqual(new Set(['127.0.0.1']));
    } finally {
      await log?.client.endAsync(true);
      await context.close();
      await bridge.stop();
    }
  }, 30_000);
});
