// npm run bench — from `npm start` to a browser page showing the office (target ≤ 5 s): spawns `npm start`
// (the demo: broker, bridge, emulated sensors, desk units, floor page), and polls the printed URL in headless
// Chromium until all desks of the plan are drawn. The browser is started beforehand; its own start-up is not
// part of thirdring's.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const startedAt = performance.now();
const demo = spawn('npm', ['start', '--silent', '--', '--minutes', '1', '--seed', '7'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: demo.stdout! }).on('line', (line) => {
    const match = /floor page: +(\S+)/.exec(line);
    if (match) resolve(match[1]!);
  });
  demo.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
});
const printedAt = performance.now();
let shownAt = 0;
for (let attempt = 0; attempt < 200 && !shownAt; attempt++) {
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-desk]').length === 20, undefined, { timeout: 2000 });
    shownAt = performance.now();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
demo.kill('SIGINT');
await new Promise((resolve) => demo.once('exit', resolve));
await browser.close();
if (!shownAt) throw new Error('the floor page never showed the office');
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const total = shownAt - startedAt;
console.log(`startup: npm start → URL printed ${seconds(printedAt - startedAt)} s → floor page showing all 20 desks ${seconds(total)} s   [target ≤ 5 s: ${total <= 5000 ? 'ok' : 'MISSED'}]`);
