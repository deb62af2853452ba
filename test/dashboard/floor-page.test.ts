import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect } from 'vitest';
import { Bridge } from '../../src/bridge/bridge.js';
import { parseConfig } from '../../src/bridge/config/load.js';
import { DashboardFeature } from '../../src/bridge/dashboard/dashboard-feature.js';
import { MqttFeature } from '../../src/bridge/mqtt/mqtt-feature.js';
import { sleep, tempDir } from '../mqtt-helpers.js';
import { itWithTools } from '../system-tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Two rows of desks; "front" rings nearest Anna (then Dev and Bram), "back" nearest Femke.
const yaml = `
site: branch-01
desks:
  - { id: anna, name: Anna, at: [2.5, 1.5] }
  - { id: bram, name: Bram, at: [5, 1.5] }
  - { id: chloe, name: Chloe, at: [7.5, 1.5] }
  - { id: dev, name: Dev, at: [2.5, 4.5] }
  - { id: eva, name: Eva, at: [5, 4.5] }
  - { id: femke, name: Femke, at: [7.5, 4.5] }
lines:
  - { id: front, name: Front desk, phone: { at: [0.3, 2.4] }, cadence: nl }
  - { id: back, name: Back office, phone: { at: [9.8, 3.7] }, cadence: nl }
mqtt: { port: 0, wsPort: 0 }
dashboard: { port: 0 }
`;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The screenshot for the README; written to docs/ only when asked, so a test run leaves the tree clean. */
const screenshotPath = process.env.THIRDRING_DOCS_SCREENSHOT === '1' ? join(root, 'docs', 'floor-page.png') : join(root, 'test', 'out', 'floor-page.png');

describe('the live floor page in a real browser', () => {
  itWithTools(['chromium'], 'follows a call live: nearest desk ANSWER, nearby desks at ring 2, answered, service level', async () => {
    const bridge = new Bridge({ ...parseConfig(yaml), dataDir: tempDir('thirdring-floor-') });
    const mqtt = new MqttFeature(bridge);
    const dash = new DashboardFeature(bridge, mqtt);
    bridge.use(mqtt).use(dash);
    let browser: Browser | null = null;
    try {
      await bridge.start();
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems: string[] = [];
      const urls: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => urls.push(request.url()));
      page.on('websocket', (socket) => urls.push(socket.url()));

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
      expect(await text('[data-line="back"]')).toMatch(/answered by Femke.*on time.*call ended/);
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
      await expect.poll(() => text('[data-line="front"] .detail'), soon).toMatch(/^→ Anna answers · level 1 · \d+ s$/);
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
      expect(await text('[data-line="front"]')).toMatch(/answered by Anna.*after \d\.\d s \(2 rings\) — ✓ on time · on call/);
      await expect.poll(() => alert('anna'), soon).toBe('none');
      expect(await attr('[data-desk="anna"]', 'data-busy')).toBe('true');
      for (const desk of ['bram', 'dev']) await expect.poll(() => alert(desk), soon).toBe('none');
      expect(await attr('[data-link="front"]', 'data-shown')).toBe('false');
      await expect.poll(() => text('#count-calls'), soon).toBe('2');
      expect(await text('#service-level')).toBe('100 %');
      expect(await text('#count-ontime')).toBe('2');
      expect(await text('#count-late')).toBe('0');
      expect(await text('#count-missed')).toBe('0');
      expect(await text('#recent li:first-child .what')).toMatch(/^answered at anna after 2 rings, \d\.\d s — on time$/);

      // What the page counted live matches the bridge's own count after a reload (from /api/state).
      const live = await page.evaluate(() => ({
        recent: [...document.querySelectorAll('#recent li')].map((li) => li.textContent),
        counts: ['#service-level', '#count-calls', '#count-ontime', '#count-late', '#count-missed'].map((s) => document.querySelector(s)!.textContent),
      }));
      expect(live.recent).toHaveLength(9);
      await page.reload();
      await page.waitForSelector('#mqtt-status[data-status="live"]', { timeout: 5000 });
      const reloaded = await page.evaluate(() => ({
        recent: [...document.querySelectorAll('#recent li')].map((li) => li.textContent),
        counts: ['#service-level', '#count-calls', '#count-ontime', '#count-late', '#count-missed'].map((s) => document.querySelector(s)!.textContent),
      }));
      expect(reloaded).toEqual(live);
      expect(await attr('[data-line="front"]', 'data-state')).toBe('answered');

      // A narrow window: the side panel goes under the plan.
      await page.setViewportSize({ width: 600, height: 900 });
      const [plan, panel] = await Promise.all(['#plan', 'aside.panel'].map((s) => page.locator(s).boundingBox()));
      expect(panel!.y).toBeGreaterThan(plan!.y + plan!.height);
      expect(plan!.width).toBeLessThanOrEqual(600);

      expect(problems).toEqual([]);
      // mqtt.js runs its timers in a worker from a blob: URL, which names the page's own origin.
      const hostOf = (url: string) => new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url).hostname;
      const hosts = new Set(urls.map(hostOf));
      expect([...hosts]).toEqual(['127.0.0.1']);
      expect(urls.some((url) => url.startsWith('ws://127.0.0.1:'))).toBe(true);
    } finally {
      await browser?.close();
      await bridge.stop();
    }
  }, 30_000);
});
