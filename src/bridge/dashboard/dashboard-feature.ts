import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import type { DeviceEvent } from '../../common/device-events.js';
import { packageRoot } from '../../package-root.js';
import type { Bridge, Feature } from '../bridge.js';
import type { Decision } from '../../core/index.js';
import type { MqttFeature } from '../mqtt/mqtt-feature.js';
import { topicsFor } from '../mqtt/topics.js';
import { hourlyStats, renderServiceChart } from '../report/service-chart.js';
import { listenOn } from '../listen.js';
import { TodayStats } from './today.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The live floor page, served read-only: static files from web/floor, the floor plan, today's numbers and the
 * callbacks owed as JSON, today's service chart as SVG, and mqtt.js for the browser (no CDN: the page works
 * offline). Live updates come to the page over MQTT on the embedded broker's websocket listener.
 */
export class DashboardFeature implements Feature {
  readonly name = 'dashboard';
  readonly today: TodayStats;
  url: string | null = null;
  private server: Server | null = null;
  private readonly root = join(packageRoot(), 'web', 'floor');
  private readonly mqttBundle = createRequire(import.meta.url).resolve('mqtt/dist/mqtt.min');
  private readonly onDecision = (d: Decision) => this.today.addDecision(d);
  private readonly onDevice = (e: DeviceEvent) => this.today.addDeviceEvent(e, this.bridge.clock.now());
  private readonly onDeskAction = (a: { desk: string; action: string; line: string | null }) => this.today.addDeskAction(a, this.bridge.clock.now());

  constructor(
    private readonly bridge: Bridge,
    private readonly mqtt: MqttFeature | null,
  ) {
    this.today = new TodayStats(20, bridge.config.timezone);
  }

  async start(): Promise<void> {
    const { dashboard } = this.bridge.config;
    this.bridge.listen(this, 'decision', this.onDecision);
    this.bridge.listen(this, 'device', this.onDevice);
    this.bridge.listen(this, 'deskAction', this.onDeskAction);
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end('read-only\n');
        return;
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === '/api/floor') return this.json(response, this.floor());
      if (path === '/api/today') return this.json(response, this.today.summary(this.bridge.clock.now()));
      if (path === '/api/state') return this.json(response, this.state());
      if (path === '/api/callbacks') return this.json(response, { callbacks: this.bridge.openCallbacks() });
      if (path === '/api/chart.svg') return this.chart(response);
      if (path === '/vendor/mqtt.min.js') return this.file(response, this.mqttBundle);
      const file = normalize(join(this.root, path === '/' ? 'index.html' : path));
      if (!file.startsWith(this.root) || !existsSync(file)) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      this.file(response, file);
    });
    await listenOn(this.server, dashboard.port, dashboard.host, 'dashboard.port');
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${dashboard.host.includes(':') ? `[${dashboard.host}]` : dashboard.host}:${port}/`;
  }

  async stop(): Promise<void> {
    this.bridge.unlisten(this);
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private floor() {
    const { config } = this.bridge;
    const lineConfig = new Map(config.lines.map((line) => [line.id, line]));
    return {
      site: config.site,
      answerBy: config.rules.answerBy,
      timezone: config.timezone,
      desks: config.desks.map((d) => ({ id: d.id, name: d.name ?? d.id, at: d.at })),
      lines: this.bridge.coreConfig.lines.map((l) => {
        const line = lineConfig.get(l.id);
        // A line that rings on desks' phones (phone: { desks }) is drawn once, with those desks marked.
        return { id: l.id, name: line?.name ?? l.id, phones: l.phones, phoneDesks: line?.phone.desks ?? null };
      }),
      mqtt: { base: topicsFor(config.site).base, wsPort: this.mqtt?.broker?.wsPort ?? null },
    };
  }

  /** Everything the page shows, for its first paint (MQTT brings the changes). */
  private state() {
    const { coreConfig, config } = this.bridge;
    return {
      /** The bridge's time: the page counts "on hold 2 min" from it, whatever the screen's own clock says. */
      now: this.bridge.clock.now(),
      lines: Object.fromEntries(coreConfig.lines.map((l) => [l.id, this.bridge.lineStatus(l.id)])),
      desks: Object.fromEntries(config.desks.map((d) => [d.id, this.bridge.deskStatus(d.id)])),
      callbacks: this.bridge.openCallbacks(),
      today: this.today.summary(this.bridge.clock.now()),
    };
  }

  /** Today's missed calls and service level by hour, in the office's time zone. */
  private chart(response: import('node:http').ServerResponse): void {
    const now = this.bridge.clock.now();
    const calls = this.today.calls(now);
    const { day } = this.today.summary(now);
    const svg = renderServiceChart(hourlyStats(calls, this.today.timeZone), {
      title: 'Today: missed calls and service level by hour',
      subtitle: `${this.bridge.config.site} · ${day} · ${this.today.timeZone}`,
    });
    response.writeHead(200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-store' }).end(svg);
  }

  private json(response: import('node:http').ServerResponse, body: unknown): void {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  }

  private file(response: import('node:http').ServerResponse, path: string): void {
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(response);
  }
}
