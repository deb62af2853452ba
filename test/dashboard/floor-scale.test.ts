// The floor page on a real floor: 20, 60 and 200 desks (examples/demo-office.yaml, insurer-floor-60.yaml,
// contact-centre-200.yaml) at 1400×900 (a laptop) and 1920×1080 (a wall screen), with calls ringing, a caller on hold,
// a callback overdue and a desk covering another (floor-scenario.ts). Measured in Debian's chromium:
//
// - desk labels in CSS px. 16 px is a browser's body text; the page is built to be read across a room, so
//   full names at 20 desks must reach 16 px on a laptop and 20 px on a wall screen. Larger floors show short labels
//   (first names, seat ids, initials) — at 200 desks ≥ 12 px on the laptop and ≥ 16 px on the wall screen — and
//   every desk that must act (ANSWER, HOLD, CALLBACK DUE) gets a callout with its full name at 18 px or more;
// - the phone markers and labels never cover a desk's name or state;
// - one ring badge per ringing line, wherever its phone rings (phone: { desks } included);
// - the line cards, and so which lines ring and who should answer, within the first screen; their titles whole;
// - today's counts add up: calls = on time + late + missed + ringing now;
// - times in the ring log written as the rest of the page writes them (office time, no "2026-03-10 09:35Z").
//
// Screenshots: test/out/floor-<desks>[-1080].png; with THIRDRING_DOCS_SCREENSHOT=1, docs/ (the README's).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect } from 'vitest';
import { itWithTools } from '../system-tools.js';
import { watch } from './page-watch.js';
import { playScene, SCENES } from './floor-scenario.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = process.env.THIRDRING_DOCS_SCREENSHOT === '1' ? join(root, 'docs') : join(root, 'test', 'out');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let launched: Promise<Browser> | null = null;
const browser = () => (launched ??= chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }));
afterAll(async () => {
  await (await launched?.catch(() => null))?.close();
});

interface Expected {
  mode: 'full' | 'compact';
  /** The smallest desk label, CSS px. */
  labelPx: number;
}
const VIEWPORTS = [
  { width: 1400, height: 900, suffix: '' },
  { width: 1920, height: 1080, suffix: '-1080' },
] as const;
const EXPECTED: Record<20 | 60 | 200, [Expected, Expected]> = {
  20: [
    { mode: 'full', labelPx: 16 },
    { mode: 'full', labelPx: 20 },
  ],
  60: [
    { mode: 'compact', labelPx: 15 },
    { mode: 'compact', labelPx: 18 },
  ],
  200: [
    { mode: 'compact', labelPx: 12 },
    { mode: 'compact', labelPx: 16 },
  ],
};
const CALLOUT_MIN_PX = 18;
const RING_TEXT_MIN_PX = 16;
const LINE_NAME_MIN_PX = 15;

/**
 * Everything measured on the page, in one pass in the browser (a plain script: nothing of the test's own code goes
 * in). Font sizes are the computed size times the element's scale on screen.
 */
const MEASURE = `(() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; };
  const px = (e) => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a;
  const shown = (e) => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0;
  const text = (e) => (e.firstChild && e.firstChild.nodeType === 3 ? e.firstChild.textContent : [...e.querySelectorAll('tspan')].map((t) => t.textContent).join(' ')) || '';
  const desks = [...document.querySelectorAll('#plan .desk')].map((g) => ({
    id: g.dataset.desk,
    alert: g.dataset.alert,
    name: text(g.querySelector('.name')),
    namePx: px(g.querySelector('.name')),
    state: g.querySelector('.badge').textContent,
    statePx: px(g.querySelector('.badge')),
    labels: [...g.querySelectorAll('.name, .badge')].filter((e) => e.textContent && shown(e)).map(box),
    body: box(g.querySelector('.body')),
  }));
  const phones = [...document.querySelectorAll('#plan .phone')].map((g) => ({
    line: g.dataset.phone,
    parts: [...g.querySelectorAll('.phone-bg, .phone-name, .ring-bg, .ring-text')].filter(shown).map(box),
    ring: [...g.querySelectorAll('.ring-text')].map((e) => e.textContent),
    ringPx: px(g.querySelector('.ring-text')),
    namePx: px(g.querySelector('.phone-name')),
  }));
  const callouts = [...document.querySelectorAll('#plan .callout')].map((g) => ({
    desk: g.dataset.callout,
    alert: g.dataset.alert,
    name: g.querySelector('.callout-name').textContent,
    state: g.querySelector('.callout-badge').textContent,
    px: Math.min(px(g.querySelector('.callout-name')), px(g.querySelector('.callout-badge'))),
    box: box(g.querySelector('.callout-bg')),
  }));
  const cards = [...document.querySelectorAll('.line-card')].map((c) => {
    const h3 = c.querySelector('h3');
    const row = box(c.querySelector('.state-row'));
    const headline = box(c.querySelector('.headline'));
    return {
      line: c.dataset.line, state: c.dataset.state, ...box(c),
      title: h3.textContent, titleCut: h3.scrollWidth > h3.clientWidth || h3.scrollHeight > h3.clientHeight,
      headlineShown: headline.y0 >= row.y0 - 1 && headline.y1 <= row.y1 + 1 && headline.x1 > headline.x0,
      detail: c.querySelector('.detail').textContent,
    };
  });
  const count = (id) => Number(document.getElementById(id).textContent);
  return {
    viewport: { width: innerWidth, height: innerHeight, pageWidth: document.documentElement.scrollWidth },
    mode: document.querySelector('#plan').dataset.mode,
    plan: box(document.querySelector('#plan')),
    planBox: { ...box(document.querySelector('.plan-box')), scrollWidth: document.querySelector('.plan-box').scrollWidth, clientWidth: document.querySelector('.plan-box').clientWidth },
    panel: box(document.querySelector('aside.panel')),
    desks, phones, callouts, cards,
    counts: { calls: count('count-calls'), onTime: count('count-ontime'), late: count('count-late'), missed: count('count-missed'), ringing: count('count-ringing') },
    serviceLabel: document.getElementById('service-label').textContent,
    log: [...document.querySelectorAll('#recent li')].map((li) => ({ time: li.querySelector('time').textContent, what: li.querySelector('.what').textContent })),
  };
})()`;

type Box = { x0: number; y0: number; x1: number; y1: number };
interface Measured {
  viewport: { width: number; height: number; pageWidth: number };
  mode: string;
  plan: Box;
  planBox: Box & { scrollWidth: number; clientWidth: number };
  panel: Box;
  desks: { id: string; alert: string; name: string; namePx: number; state: string; statePx: number; labels: Box[]; body: Box }[];
  phones: { line: string; parts: Box[]; ring: string[]; ringPx: number; namePx: number }[];
  callouts: { desk: string; alert: string; name: string; state: string; px: number; box: Box }[];
  cards: (Box & { line: string; state: string; title: string; titleCut: boolean; headlineShown: boolean; detail: string })[];
  counts: { calls: number; onTime: number; late: number; missed: number; ringing: number };
  serviceLabel: string;
  log: { time: string; what: string }[];
}

/** Overlap of two boxes in px², with half a pixel of anti-aliasing forgiven on each side. */
const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) - 1) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) - 1);

/** Waits until the plan has been laid out for the page's current size. */
async function laidOut(page: Page, width: number, height: number) {
  await page.setViewportSize({ width, height });
  await page.waitForFunction(() => {
    const { width, height } = document.querySelector('.plan-box')!.getBoundingClientRect();
    return document.querySelector('#plan')?.getAttribute('data-size') === `${Math.round(width)}x${Math.round(height)}`;
  });
  // Renders are batched on a timer.
  await page.waitForTimeout(150);
}

describe('the floor page on a real floor: 20, 60 and 200 desks at 1400×900 and 1920×1080', () => {
  for (const desks of [20, 60, 200] as const) {
    itWithTools(['chromium'], `${desks} desks: readable labels, one marker per line, the live state on the first screen, counts that add up`, async () => {
      const scene = SCENES[desks];
      const { bridge, dash, config, ringing } = await playScene(scene);
      const context = await (await browser()).newContext({ viewport: VIEWPORTS[0] });
      try {
        const page = await context.newPage();
        const { problems, urls } = watch(page);
        await page.goto(dash.url!);
        await page.waitForSelector('#mqtt-status[data-status="live"]', { timeout: 5000 });
        await page.waitForSelector(`.line-card[data-line="${ringing[0]}"][data-state="ringing"]`, { timeout: 5000 });

        for (const [i, { width, height, suffix }] of VIEWPORTS.entries()) {
          await laidOut(page, width, height);
          const m = (await page.evaluate(MEASURE)) as Measured;
          const expected = EXPECTED[desks][i]!;
          const where = `${desks} desks at ${width}×${height}`;

          // Desk labels: as large as the floor allows, never below the minimum.
          expect(m.mode, where).toBe(expected.mode);
          expect(m.desks).toHaveLength(config.desks.length);
          const smallest = Math.min(...m.desks.map((d) => d.namePx));
          expect(smallest, `${where}: smallest desk label`).toBeGreaterThanOrEqual(expected.labelPx);
          if (expected.mode === 'full') {
            // The whole name on the desk (on two lines where it is split): no … anywhere.
            for (const d of m.desks) expect(d.name.replace(/\s+/g, ''), d.id).toBe((config.desks.find((c) => c.id === d.id)!.name ?? d.id).replace(/\s+/g, ''));
            expect(m.callouts).toEqual([]);
            // The desk's state in words: ANSWER at 12 px or more; the longest (CALLBACK DUE) not below 9 px.
            for (const d of m.desks.filter((d) => d.state === 'ANSWER')) expect(d.statePx, `${where}: ANSWER at ${d.id}`).toBeGreaterThanOrEqual(12);
            for (const d of m.desks) expect(d.statePx, `${where}: ${d.state} at ${d.id}`).toBeGreaterThanOrEqual(9);
          } else {
            // The state codes (ANS, near, HOLD, CB, call, cov, away) at about 0.7 of the label's size, none shrunk.
            for (const d of m.desks.filter((d) => d.state)) expect(d.statePx, `${where}: ${d.state} at ${d.id}`).toBeGreaterThanOrEqual(0.65 * smallest);
            // Every desk that must act: a callout with its full name and state, readable.
            const acting = m.desks.filter((d) => ['yours', 'hold', 'callback'].includes(d.alert));
            expect(acting.length, where).toBeGreaterThanOrEqual(ringing.length);
            expect(m.callouts.map((c) => c.desk).sort()).toEqual(acting.map((d) => d.id).sort());
            for (const c of m.callouts) {
              expect(c.name).toBe(config.desks.find((d) => d.id === c.desk)!.name ?? c.desk);
              expect(c.state).toBe({ yours: 'ANSWER', hold: 'HOLD', callback: 'CALLBACK DUE' }[c.alert]);
              expect(c.px, `${where}: callout of ${c.desk}`).toBeGreaterThanOrEqual(CALLOUT_MIN_PX);
              // Inside the plan.
              expect(c.box.x0).toBeGreaterThanOrEqual(m.plan.x0);
              expect(c.box.x1).toBeLessThanOrEqual(m.plan.x1);
            }
          }
          // Desks do not overlap each other, and all of them are on the plan.
          for (const [a, d] of m.desks.entries()) {
            expect(d.body.x0).toBeGreaterThanOrEqual(m.plan.x0);
            expect(d.body.y1).toBeLessThanOrEqual(m.plan.y1);
            for (const e of m.desks.slice(a + 1)) expect(overlap(d.body, e.body), `${d.id} / ${e.id}`).toBe(0);
          }

          // One marker per line, and one ring badge per ringing line: "ring n of 3", readable.
          expect(m.phones.map((p) => p.line).sort()).toEqual(config.lines.map((l) => l.id).sort());
          for (const phone of m.phones) {
            expect(phone.ring).toHaveLength(1);
            expect(phone.namePx, `${where}: name of ${phone.line}`).toBeGreaterThanOrEqual(LINE_NAME_MIN_PX);
            expect(phone.ringPx).toBeGreaterThanOrEqual(RING_TEXT_MIN_PX);
          }
          const ringBadges = m.phones.filter((p) => /^ring \d/.test(p.ring[0] ?? ''));
          expect(ringBadges.map((p) => p.line).sort()).toEqual([...ringing].sort());
          expect(m.phones.find((p) => p.line === ringing[0])!.ring).toEqual(['ring 2 of 3']);
          // A marker (phone, its name, its ring badge) never covers a desk's label (name, state).
          for (const phone of m.phones) expect(phone.parts.length).toBeGreaterThanOrEqual(ringing.includes(phone.line) ? 4 : 2);
          for (const d of m.desks) expect(d.labels.length, d.id).toBeGreaterThanOrEqual(1);
          for (const phone of m.phones) {
            for (const part of phone.parts) {
              for (const d of m.desks) for (const label of d.labels) expect(overlap(part, label), `${where}: ${phone.line} over ${d.id}`).toBe(0);
            }
          }

          // The line cards: all of them on the first screen, above the plan, titles whole; who answers is said.
          expect(m.cards).toHaveLength(config.lines.length);
          for (const card of m.cards) {
            expect(card.y0, `${where}: card ${card.line}`).toBeGreaterThanOrEqual(0);
            expect(card.y1, `${where}: card ${card.line}`).toBeLessThanOrEqual(m.plan.y0);
            expect(card.titleCut, `${where}: title of ${card.line}`).toBe(false);
            expect(card.headlineShown, `${where}: headline of ${card.line}`).toBe(true);
            expect(card.title).toBe(config.lines.find((l) => l.id === card.line)!.name ?? card.line);
          }
          for (const line of ringing) {
            const card = m.cards.find((c) => c.line === line)!;
            expect(card.state).toBe('ringing');
            expect(card.detail).toMatch(/^→ .+ answers/);
          }
          expect(m.cards.find((c) => c.line === scene.held)!.state).toBe('held');
          // The plan and the side panel end within the screen: nothing to scroll to see the live state.
          expect(m.plan.y1).toBeLessThanOrEqual(height);
          expect(m.panel.y1).toBeLessThanOrEqual(height);
          expect(m.viewport.pageWidth).toBeLessThanOrEqual(width);

          // Today's counts add up; the service level says it is of the finished calls.
          const { calls, onTime, late, missed, ringing: now } = m.counts;
          expect(calls).toBe(onTime + late + missed + now);
          expect(now).toBe(ringing.length);
          expect(m.serviceLabel).toBe(`of ${onTime + late + missed} finished calls answered before ring 3`);

          // The clock is the bridge's (the scene stops at 10:29:57 office time; the page's clock goes on from it).
          expect(await page.textContent('#clock')).toMatch(/^10:(29:5\d|3\d:\d\d)$/);
          // One way of writing times: the clock's, and in the entries the panel's ("Wed 09:35"), never a UTC date.
          expect(m.log.length).toBeGreaterThan(0);
          for (const entry of m.log) {
            expect(entry.time).toMatch(/^\d\d:\d\d:\d\d$/);
            expect(entry.what).not.toMatch(/\d{4}-\d\d-\d\d|\d\d:\d\dZ/);
          }

          mkdirSync(shots, { recursive: true });
          await page.screenshot({ path: join(shots, `floor-${desks}${suffix}.png`) });
        }

        // Reduced motion: nothing moves; the desk that answers has stripes instead of blinking.
        await page.emulateMedia({ reducedMotion: 'reduce' });
        const still = await page.evaluate(`(() => {
          const answering = document.querySelector('#plan .desk[data-alert="yours"]');
          return {
            moving: [...document.querySelectorAll('#plan *')].filter((e) => getComputedStyle(e).animationName !== 'none').length,
            stripes: getComputedStyle(answering.querySelector('.stripes')).display,
          };
        })()`);
        expect(still).toEqual({ moving: 0, stripes: 'inline' });
        await page.emulateMedia({ reducedMotion: 'no-preference' });

        // A narrow window: one column (lines, plan, panel), nothing wider than the window, every desk still drawn
        // and labelled at 12 px or more — a floor that needs more room than the window scrolls sideways in its card.
        await laidOut(page, 600, 900);
        const narrow = (await page.evaluate(MEASURE)) as Measured;
        expect(narrow.viewport.pageWidth).toBeLessThanOrEqual(600);
        expect(narrow.planBox.x1).toBeLessThanOrEqual(600);
        expect(narrow.panel.y0).toBeGreaterThan(narrow.planBox.y1);
        expect(narrow.desks).toHaveLength(config.desks.length);
        expect(Math.min(...narrow.desks.map((d) => d.namePx))).toBeGreaterThanOrEqual(12);
        if (narrow.plan.x1 - narrow.plan.x0 > narrow.planBox.x1 - narrow.planBox.x0) expect(narrow.planBox.scrollWidth).toBeGreaterThan(narrow.planBox.clientWidth);
        for (const card of narrow.cards) expect(card.titleCut).toBe(false);

        expect(problems).toEqual([]);
        expect(new Set(urls.map((url) => new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url).hostname))).toEqual(new Set(['127.0.0.1']));
      } finally {
        await context.close();
        await bridge.stop();
      }
    }, 60_000);
  }
});
