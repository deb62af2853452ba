// Just the parts of johnny-five 2.x and firmata-io 2.x (plain CommonJS, no types) the desk board uses.

declare module 'firmata-io' {
  import type { EventEmitter } from 'node:events';

  interface FirmataPin {
    supportedModes: number[];
    mode?: number;
    value: number;
    analogChannel?: number;
  }

  class Firmata extends EventEmitter {
    constructor(transport: object, options?: { reportVersionTimeout?: number; skipCapabilities?: boolean; samplingInterval?: number });
    isReady: boolean;
    versionReceived: boolean;
    pins: FirmataPin[];
    MODES: Record<'INPUT' | 'OUTPUT' | 'ANALOG' | 'PWM' | 'SERVO' | 'PULLUP', number>;
    firmware: { name?: string; version?: { major: number; minor: number } };
    reportVersion(callback: () => void): void;
    queryFirmware(callback: () => void): void;
  }

  interface FirmataIo {
    (transport: unknown): typeof Firmata;
    Firmata: typeof Firmata;
  }
  const firmataIo: FirmataIo;
  export default firmataIo;
  export type { Firmata, FirmataPin };
}

declare module 'johnny-five' {
  import type { EventEmitter } from 'node:events';

  interface BoardOptions {
    id?: string;
    io: object;
    repl?: boolean;
    debug?: boolean;
    sigint?: boolean;
    timeout?: number;
  }
  class Board extends EventEmitter {
    constructor(options: BoardOptions);
    static readonly cache: Board[];
    isReady: boolean;
  }
  class Led {
    constructor(options: { pin: number; board: Board });
    on(): this;
    off(): this;
    blink(ms: number): this;
    pulse(ms: number): this;
    stop(): this;
  }
  namespace Led {
    class RGB {
      constructor(options: { pins: { red: number; green: number; blue: number }; board: Board; isAnode?: boolean });
      color(color: string): this;
      on(): this;
      off(): this;
      blink(ms: number): this;
      stop(): this;
    }
  }
  class Pin {
    constructor(options: { pin: number; board: Board; type?: 'digital' | 'analog'; mode?: number });
    high(): this;
    low(): this;
  }
  class Button extends EventEmitter {
    constructor(options: { pin: number; board: Board; isPullup?: boolean; holdtime?: number });
  }
  const five: { Board: typeof Board; Led: typeof Led; Pin: typeof Pin; Button: typeof Button };
  export default five;
  export type { Board, Led, Pin, Button };
}
