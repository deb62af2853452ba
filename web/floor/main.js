// The live floor page: the floor plan with every desk's LED as its desk unit shows it (and who covers whom), the
// lines, today's service level and chart, the callbacks owed and the ring log. Native ES modules, no build step
// and nothing from the internet: the first paint comes from /api/floor and /api/state, live changes over MQTT
// (websocket) from the bridge's embedded broker; the callbacks and the chart are fetched again when they change.
import { $, setText } from './dom.js';
import { page } from './state.js';
import { useTimeZone, renderClock } from './clock.js';
import { buildPlan, followPlanSize } from './plan-draw.js';
import { renderDesks } from './plan-desks.js';
import { renderPhones } from './plan-phones.js';
import { buildCards, renderCards } from './lines.js';
import { renderToday } from './today.js';
import { renderCallbacks } from './callbacks.js';
import { renderRecent } from './log-list.js';
import { applySnapshot, connectLive, renderStatus, startPolling } from './live.js';
import { fetchJson } from './api.js';
import { render, renderWith } from './render.js';

renderWith(renderDesks, renderPhones, renderCards, renderToday, renderCallbacks, renderRecent, renderStatus);

async function main() {
  const requestedAt = Date.now();
  const [floor, state] = await Promise.all([fetchJson('/api/floor'), fetchJson('/api/state')]);
  page.floor = floor;
  page.answerBy = floor.answerBy;
  if (floor.timezone) useTimeZone(floor.timezone);
  page.base = floor.mqtt.base;
  for (const desk of floor.desks) page.deskName.set(desk.id, desk.name);
  for (const line of floor.lines) page.lineName.set(line.id, line.name);
  document.title = `${floor.site} — thirdring floor`;
  setText($('#site'), floor.site);
  for (const element of document.querySelectorAll('.answer-by')) setText(element, String(floor.answerBy));
  buildCards(floor);
  // Before the plan is laid out: the legend's height is part of its room.
  $('[data-legend="phone-desk"]').hidden = !floor.lines.some((line) => line.phoneDesks?.length);
  buildPlan(floor);
  followPlanSize();
  applySnapshot(state, requestedAt);
  page.synced = true;
  document.body.setAttribute('data-ready', 'true');
  if (floor.mqtt.wsPort !== null && typeof globalThis.mqtt?.connect === 'function') connectLive(floor.mqtt.wsPort);
  else startPolling();
  render();
}

function tick() {
  renderClock();
  renderCards();
  renderCallbacks();
}

setInterval(tick, 1000);
tick();
main().catch((error) => {
  const banner = $('#error');
  banner.hidden = false;
  banner.textContent = `The floor page could not load: ${error.message}. Is the bridge running?`;
});
