import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * An AMI server for tests: it greets, answers Login and Ping the way Asterisk does, and replays event transcripts
 * copied verbatim from Asterisk's documentation (test/fixtures/asterisk/*.ami). Asterisk itself is not packaged
 * for our Debian; this stands in for it. What it says and why:
 * - the greeting "Asterisk Call Manager/<AMI version>" (asterisk/asterisk main/manager.c, the session's "welcome
 *   prompt"); 2.0.0 is "The initial release of Asterisk 12 had an AMI version of 2.0.0" (AMI v2 Specification,
 *   https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-v2-Specification/);
 * - Login: "Response: Success" with "Message: Authentication accepted", or "Response: Error" with "Message:
 *   Authentication failed" after which the session ends (main/manager.c action_login: astman_send_error, return -1);
 * - Ping "will elicit a 'Pong' response" (AMI Ping action reference);
 * - a response carries the action's ActionID ("any event relating the success or failure of that action MUST
 *   contain an ActionId field with the same value", AMI v2 Specification); lines end in "\r\n", a message in a
 *   blank line (ibid., "Message Layout").
 */
export interface AmiServerOptions {
  username: string;
  secret: string;
  host?: string;
  port?: number;
  banner?: string;
  /** false: Pings go unanswered, as from a PBX that vanished without closing the connection. */
  answerPing?: boolean;
}

/** A transcript file's parts ("#> name" starts one), each a list of AMI messages ready for the wire. */
export function loadAmiTranscript(file: string): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  let current: string[] | null = null;
  let fields: string[] = [];
  const endEvent = () => {
    if (current && fields.length > 0) current.push(`${fields.join('\r\n')}\r\n\r\n`);
    fields = [];
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#> ')) {
      endEvent();
      parts.set(line.slice(3).trim(), (current = []));
    } else if (line.startsWith('#')) {
      continue;
    } else if (line.trim() === '' || line.trim() === '...' || line.trim() === '…') {
      // The documentation's examples end an event's shown fields with "..." (the rest elided).
      endEvent();
    } else {
      fields.push(line);
    }
  }
  endEvent();
  return parts;
}

export class AmiTranscriptServer {
  readonly logins = { accepted: 0, refused: 0 };
  private server: Server | null = null;
  private readonly clients = new Set<Socket>();
  private readonly loggedIn = new Set<Socket>();
  private readonly loginWaiters: (() => void)[] = [];

  constructor(private readonly options: AmiServerOptions) {}

  async start(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  get sessions(): number {
    return this.loggedIn.size;
  }

  /** Resolves at the next successful login (or at once if `already` and a session is logged in). */
  nextLogin(already = false): Promise<void> {
    if (already && this.loggedIn.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.loginWaiters.push(resolve));
  }

  /** Sends a transcript part's events to every logged-in session. */
  play(transcript: Map<string, string[]>, part: string): void {
    const messages = transcript.get(part);
    if (!messages) throw new Error(`no part "${part}" in the transcript (parts: ${[...transcript.keys()].join(', ')})`);
    this.sendRaw(messages.join(''));
  }

  /** Bytes as they are, to every logged-in session (malformed or oversized input). */
  sendRaw(text: string): void {
    for (const socket of this.loggedIn) socket.write(text);
  }

  /** Cuts every connection, as a PBX restart would. */
  dropClients(): void {
    for (const socket of this.clients) socket.destroy();
  }

  async stop(): Promise<void> {
    this.dropClients();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    socket.on('close', () => {
      this.clients.delete(socket);
      this.loggedIn.delete(socket);
    });
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    socket.write(`${this.options.banner ?? 'Asterisk Call Manager/2.0.0'}\r\n`);
    let buffered = '';
    socket.on('data', (text: string) => {
      buffered += text;
      for (let end; (end = buffered.indexOf('\r\n\r\n')) >= 0; ) {
        const action = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        this.onAction(socket, action);
      }
    });
  }

  private onAction(socket: Socket, text: string): void {
    const fields = new Map<string, string>();
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    const id = fields.has('actionid') ? `ActionID: ${fields.get('actionid')}\r\n` : '';
    switch (fields.get('action')?.toLowerCase()) {
      case 'login':
        if (fields.get('username') === this.options.username && fields.get('secret') === this.options.secret) {
          this.logins.accepted++;
          socket.write(`Response: Success\r\n${id}Message: Authentication accepted\r\n\r\n`);
          this.loggedIn.add(socket);
          for (const wake of this.loginWaiters.splice(0)) wake();
        } else {
          this.logins.refused++;
          socket.end(`Response: Error\r\n${id}Message: Authentication failed\r\n\r\n`);
        }
        return;
      case 'ping':
        if (this.options.answerPing !== false) socket.write(`Response: Success\r\n${id}Ping: Pong\r\n\r\n`);
    }
  }
}
