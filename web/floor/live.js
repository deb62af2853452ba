// State in: the /api/state snapshot, live MQTT messages over the websocket (or polling without it).
import { $, setData, setText } from './dom.js';
import { RECENT_KEEP, page, callInfo } from './state.js';
import { renderClock } from './clock.js';
import { chart, chartAfterCall, loadChart } from './today.js';
import { entryKey, recentEntry, onLog } from './log.js';
import { render } from './render.js';
import { fetchJson } from './api.js';

/** Without live updates (websocket listener off, or mqtt.js did not load) the page polls. */
const POLL_MS = 3000;

export function renderStatus() {
  const bridge = $('#bridge-status');
  setData(bridge, 'status', page.bridge);
  setText(bridge.querySelector('.label'), page.bridge === 'online' ? 'bridge online' : page.bridge === 'offline' ? 'bridge OFFLINE' : 'bridge …');
  const live = $('#mqtt-status');
  setData(live, 'status', page.live);
  const words = { live: 'live', connecting: 'connecting…', offline: 'live updates lost — reconnecting', polling: `polling every ${POLL_MS / 1000} s` };
  setText(live.querySelector('.label'), words[page.live] ?? page.live);
}

/** The /api/state snapshot: everything now, and today so far. */
export function applySnapshot(state, requestedAt = Date.now()) {
  // The bridge's clock at the middle of the request.
  if (typeof state.now === 'number') page.clockOffset = state.now - (requestedAt + Date.now()) / 2;
  renderClock();
  for (const [id, line] of Object.entries(state.lines)) page.lines[id] = line;
  for (const [id, { awayBySchedule, ...desk }] of Object.entries(state.desks)) {
    page.desks[id] = { ...desk, unit: page.desks[id]?.unit ?? null };
    page.scheduleAway[id] = awayBySchedule ?? null;
  }
  page.callbacks = state.callbacks ?? [];
  const { recent, serviceLevel: _level, ...counts } = state.today;
  page.today = { callbacksOwed: 0, ...counts };
  // The chart follows the finished calls (polling sees them only here).
  const finished = counts.answeredOnTime + counts.answeredLate + counts.missed;
  if (chart.finished === null) loadChart();
  else if (finished !== chart.finished) chartAfterCall();
  chart.finished = finished;
  page.recent = recent.slice(0, RECENT_KEEP).map(recentEntry);
  page.recentVersion++;
  page.snapshotKeys = new Set(recent.map((entry) => entryKey(recentEntry(entry))));
  // A bridge started afresh counts `seq` from 1 again.
  page.seenSeq.clear();
  page.seqOrder = [];
  // The escalation level of calls ringing now: the newest entry of the line's call that says one (its first ring
  // says 1).
  for (const [id, line] of Object.entries(state.lines)) {
    if (line.state !== 'ringing') continue;
    const leveled = page.recent.find((entry) => entry.subject === id && entry.level !== undefined);
    if (leveled) callInfo(id).level = leveled.level;
  }
}

let resyncing = null;

/** Takes a fresh snapshot, then applies the MQTT messages that arrived meanwhile. */
export function resync() {
  page.synced = false;
  resyncing ??= (async () => {
    for (;;) {
      try {
        const at = Date.now();
        applySnapshot(await fetchJson('/api/state'), at);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    page.synced = true;
    resyncing = null;
    for (const [topic, text] of page.buffer.splice(0)) onMessage(topic, text);
    render();
  })();
  return resyncing;
}

export function onMessage(topic, text) {
  if (!page.synced) {
    page.buffer.push([topic, text]);
    if (page.buffer.length > 5000) page.buffer.shift();
    return;
  }
  const parts = topic.slice(page.base.length + 1).split('/');
  // Ids in topics are the publisher's words: only the floor's own desks and lines are kept (never "__proto__").
  if ((parts[0] === 'line' && !page.lineName.has(parts[1])) || (parts[0] === 'desk' && !page.deskName.has(parts[1]))) return;
  const json = () => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  if (parts[0] === 'bridge' && parts[1] === 'state' && parts.length === 2) {
    const was = page.bridge;
    page.bridge = text === 'online' ? 'online' : 'offline';
    // A restarted bridge starts today's numbers over: take them from it.
    if (was === 'offline' && page.bridge === 'online') resync();
  } else if (parts[0] === 'line' && parts.length === 2) {
    const line = json();
    if (!line) return;
    if (line.state === 'ringing' && page.lines[parts[1]]?.state !== 'ringing') callInfo(parts[1]).outcome = null;
    page.lines[parts[1]] = line;
  } else if (parts[0] === 'desk' && parts.length === 2) {
    const desk = json();
    if (desk) page.desks[parts[1]] = desk;
  } else if (parts[0] === 'desk' && parts[2] === 'set' && parts.length === 3) {
    const set = json();
    if (set && page.desks[parts[1]]) Object.assign(page.desks[parts[1]], set);
  } else if (parts[0] === 'desk' && parts[2] === 'availability' && parts.length === 3) {
    if (page.desks[parts[1]]) page.desks[parts[1]].unit = text;
  } else if (parts[0] === 'log' && parts.length === 1) {
    const entry = json();
    if (entry && typeof entry.type === 'string') onLog(entry);
  } else {
    return;
  }
  render();
}

export function connectLive(wsPort) {
  const client = globalThis.mqtt.connect(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:${wsPort}`, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 3000,
    connectTimeout: 5000,
    clientId: `thirdring-floor-${Math.random().toString(16).slice(2, 10)}`,
  });
  client.on('connect', () => {
    page.live = 'live';
    page.synced = false;
    client.subscribe(`${page.base}/#`, { qos: 1 }, (error) => {
      if (!error) resync();
    });
    render();
  });
  client.on('message', (topic, payload) => onMessage(topic, payload.toString()));
  client.on('offline', () => {
    page.live = 'offline';
    render();
  });
  client.on('reconnect', () => {
    if (page.live !== 'offline') page.live = 'connecting';
    render();
  });
  // Connection errors show as the indicator; mqtt.js reconnects by itself.
  client.on('error', () => {});
}

export function startPolling() {
  page.live = 'polling';
  const poll = async () => {
    try {
      const at = Date.now();
      applySnapshot(await fetchJson('/api/state'), at);
      page.bridge = 'online';
    } catch {
      page.bridge = 'offline';
    }
    render();
  };
  setInterval(poll, POLL_MS);
}
