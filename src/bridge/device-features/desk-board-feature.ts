import { EventEmitter } from 'node:events';
import type { Bridge, Feature } from '../bridge.js';
import type { Command, DeskAlert } from '../../core/types.js';
import type { DeskBoard, DeskIndicator } from '../../devices/desk-board/desk-board.js';

export interface DeskBoardFeatureEvents {
  /** A desk's button while its alert was on: "I'm taking it", once the bridge has it. */
  ack: [ack: { desk: string; line: string | null }];
}

/**
 * Every StandardFirmata desk board in the config (one per `boards[]` entry), showing the core's `indicate`
 * commands on the LEDs and buzzers of the desks wired to it. A desk's button, pressed briefly, acknowledges
 * while its alert is on (Bridge.reportDeskAction: logged like a desk unit's ack), otherwise it toggles the desk's
 * presence (as the core has it now); held (1.5 s) it is the desk's cover button (Bridge.toggleCover: take over
 * desks[].coverFor's calls, or give them back).
 */
export class DeskBoardFeature extends EventEmitter<DeskBoardFeatureEvents> implements Feature {
  readonly name = 'desk-board';
  readonly boards: DeskBoard[] = [];

  private readonly alerts = new Map<string, { alert: DeskAlert; line: string | null }>();

  constructor(private readonly bridge: Bridge) {
    super();
  }

  async start(): Promise<void> {
    const { boards, desks } = this.bridge.config;
    const byBoard = new Map<string, DeskIndicator[]>();
    for (const desk of desks) {
      const indicator = desk.indicator;
      if (indicator === undefined) continue;
      const list = byBoard.get(indicator.board) ?? [];
      list.push({ desk: desk.id, led: indicator.led, buzzer: indicator.buzzer, button: indicator.button });
      byBoard.set(indicator.board, list);
    }
    if (byBoard.size === 0) return;
    // Loaded only for an office with desk boards: johnny-five brings Node's REPL and with it the domain module,
    // which wraps every EventEmitter emit in the process (every serial chunk, every MQTT packet) in its own check.
    const { DeskBoard } = await import('../../devices/desk-board/desk-board.js');
    for (const { id, port, baudRate } of boards) {
      const desks = byBoard.get(id);
      if (!desks) continue;
      const board = new DeskBoard({ id, path: port, baudRate, desks });
      board.on('device', (event) => this.bridge.reportDevice(event));
      board.on('button', ({ desk }) => this.onButton(desk));
      board.on('cover', ({ desk }) => this.bridge.toggleCover(desk, 'desk-board'));
      board.start();
      this.boards.push(board);
    }
    if (this.boards.length > 0) this.bridge.listen(this, 'indicate', (command) => this.indicate(command));
  }

  async stop(): Promise<void> {
    await Promise.all(this.boards.map((board) => board.stop()));
    this.boards.length = 0;
  }

  private indicate(command: Command): void {
    this.alerts.set(command.desk, { alert: command.alert, line: command.line });
    for (const board of this.boards) board.indicate(command);
  }

  private onButton(desk: string): void {
    const current = this.alerts.get(desk);
    if (current && current.alert !== 'none') {
      this.bridge.reportDeskAction(desk, current.line);
      this.emit('ack', { desk, line: current.line });
      return;
    }
    // From the desk's presence in the core now: a schedule, an MQTT `away` or a desk unit may have changed it since
    // this button last did.
    const state = this.bridge.deskStatus(desk).presence === 'away' ? 'present' : 'away';
    this.bridge.input({ type: 'presence', desk, state });
  }
}
