import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Reconnecting } from '../../common/reconnecting.js';
import { AmiParser, type AmiDropReason, type AmiMessage } from './ami-parser.js';

export interface AmiConnectionOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** A Ping this often; no answer by the next one → the connection is dead (a PBX that vanished without a FIN). */
  pingMs?: number;
  /** Connected but not logged in after this long → closed and tried again. */
  loginTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface AmiConnectionEvents {
  /** Logged in; `banner` is the PBX's greeting. */
  up: [banner: string];
  /** The connection is gone (never up, or up and lost). */
  down: [reason: string];
  /** The PBX refused the login: its Message (untrusted text). */
  refused: [message: string];
  event: [message: AmiMessage];
  dropped: [reason: AmiDropReason, sample: string];
  /** The greeting was not an AMI one: something else listens on that port. */
  notAmi: [banner: string];
}

const LOGIN_ID = 'thirdring-login';
const PING_ID = 'thirdring-ping';

/**
 * One AMI session over TCP (default port 5038: "By default, AMI is available on TCP port 5038", The Asterisk
 * Manager TCP IP API, https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/The-Asterisk-Manager-TCP-IP-API/),
 * opened again with doubling delays after every loss. Login is `Action: Login` with Username and Secret, and
 * `Events: call` — "system,call,log,... To select which flags events should have to be sent" (AMI Login action,
 * https://docs.asterisk.org/Latest_API/API_Documentation/AMI_Actions/Login/). The answer carries our ActionID:
 * "If an Action contained an ActionId, any event relating the success or failure of that action MUST contain an
 * ActionId field with the same value", and Response "Valid values are "Success" or "Error"" (AMI v2 Specification).
 * A Ping "will elicit a 'Pong' response. Used to keep the manager connection open" (AMI Ping action).
 */
export class AmiConnection extends EventEmitter<AmiConnectionEvents> {
  private socket: Socket | null = null;
  private loggedIn = false;
  private banner = '';
  private pingTimer: NodeJS.Timeout | null = null;
  private loginTimer: NodeJS.Timeout | null = null;
  private pingOutstanding = false;
  private readonly reconnecting: Reconnecting;
  private readonly options: Required<AmiConnectionOptions>;

  constructor(options: AmiConnectionOptions) {
    super();
    this.options = { pingMs: 15_000, loginTimeoutMs: 10_000, reconnectMinMs: 500, reconnectMaxMs: 30_000, ...options };
    this.reconnecting = new Reconnecting(() => this.open(), { minMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs });
  }

  start(): void {
    this.reconnecting.start();
  }

  stop(): void {
    this.reconnecting.stop();
    this.close(this.socket, 'stopped');
  }

  private open(): void {
    const socket = connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    this.loggedIn = false;
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    const parser = new AmiParser({
      banner: (line) => this.onBanner(socket, line),
      message: (message) => this.onMessage(socket, message),
      dropped: (reason, sample) => this.emit('dropped', reason, sample),
    });
    socket.on('data', (text: string) => {
      if (socket === this.socket) parser.push(text);
    });
    socket.on('error', (error) => this.lost(socket, error.message));
    socket.on('close', () => this.lost(socket, 'connection closed by the PBX'));
    this.loginTimer = setTimeout(() => this.lost(socket, `no login answer within ${this.options.loginTimeoutMs / 1000} s`), this.options.loginTimeoutMs);
  }

  private onBanner(socket: Socket, line: string): void {
    // manager.c writes "Asterisk Call Manager/<AMI version>" when a session opens (asterisk/asterisk main/manager.c).
    if (!line.startsWith('Asterisk Call Manager/')) {
      this.emit('notAmi', line.slice(0, 100));
      return this.lost(socket, 'not an AMI server');
    }
    this.banner = line.slice(0, 100);
    const { username, secret } = this.options;
    this.send(socket, { Action: 'Login', ActionID: LOGIN_ID, Username: username, Secret: secret, Events: 'call' });
  }

  private onMessage(socket: Socket, message: AmiMessage): void {
    const actionId = message.get('actionid');
    if (message.has('response') && actionId === LOGIN_ID) return this.onLogin(socket, message);
    if (message.has('response') && actionId === PING_ID) {
      this.pingOutstanding = false;
      return;
    }
    if (this.loggedIn && message.has('event')) this.emit('event', message);
  }

  private onLogin(socket: Socket, message: AmiMessage): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = null;
    if (message.get('response')?.toLowerCase() !== 'success') {
      this.emit('refused', (message.get('message') ?? '').slice(0, 100));
      return this.lost(socket, 'login refused');
    }
    this.loggedIn = true;
    this.reconnecting.answered();
    this.pingOutstanding = false;
    this.pingTimer = setInterval(() => this.ping(socket), this.options.pingMs);
    this.emit('up', this.banner);
  }

  private ping(socket: Socket): void {
    if (this.pingOutstanding) return this.lost(socket, `no answer to a Ping within ${this.options.pingMs / 1000} s`);
    this.pingOutstanding = true;
    this.send(socket, { Action: 'Ping', ActionID: PING_ID });
  }

  private send(socket: Socket, fields: Record<string, string>): void {
    socket.write(`${Object.entries(fields).map(([key, value]) => `${key}: ${value}`).join('\r\n')}\r\n\r\n`);
  }

  private lost(socket: Socket, reason: string): void {
    if (socket !== this.socket) return;
    this.close(socket, reason);
    this.reconnecting.lost();
  }

  private close(socket: Socket | null, reason: string): void {
    if (!socket || socket !== this.socket) return;
    this.socket = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.pingTimer = this.loginTimer = null;
    socket.destroy();
    this.loggedIn = false;
    this.emit('down', reason);
  }
}
