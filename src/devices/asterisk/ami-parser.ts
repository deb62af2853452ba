/**
 * AMI's wire format: "An AMI message – action or event – is composed of fields delineated by the '\r\n'
 * characters. Within a message, each field is a key value pair delineated by a ':'. A single space MUST follow the
 * ':' … An action or event is terminated by an additional '\r\n' character." "Keys are case insensitive." "Fields
 * with the same key may be repeated within an AMI message."
 * — AMI v2 Specification, "Message Layout" (https://docs.asterisk.org/Configuration/Interfaces/Asterisk-Manager-Interface-AMI/AMI-v2-Specification/)
 */

/** Fields by lower-cased key (the first of repeated keys). A Map: keys come from the PBX, never object keys. */
export type AmiMessage = ReadonlyMap<string, string>;

export type AmiDropReason = 'line-too-long' | 'message-too-big' | 'malformed-line';

/** Far beyond any event this driver reads (a channel name, a caller ID); a ChanVariable-heavy event still fits. */
export const AMI_LIMITS = { lineChars: 4096, messageChars: 65_536, fields: 256 } as const;

/**
 * Text from the socket → AMI messages, in bounded memory: a line longer than `lineChars` is never held (the rest
 * of it is skipped up to its line break), and a message with such a line, too many fields or too many characters,
 * or a line that is no `Key: value`, is dropped whole at its blank line and reported once through `dropped`.
 * The connection's first line is the greeting ("Asterisk Call Manager/<version>"), passed to `banner`.
 */
export class AmiParser {
  private partial = '';
  private skippingLine = false;
  private expectBanner = true;
  private fields = new Map<string, string>();
  private fieldCount = 0;
  private chars = 0;
  private broken: AmiDropReason | null = null;

  constructor(
    private readonly on: {
      message: (message: AmiMessage) => void;
      banner: (line: string) => void;
      dropped: (reason: AmiDropReason, sample: string) => void;
    },
    private readonly limits: { lineChars: number; messageChars: number; fields: number } = AMI_LIMITS,
  ) {}

  push(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.skippingLine) {
        this.skippingLine = false;
        continue;
      }
      const line = this.partial + piece;
      this.partial = '';
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (this.skippingLine) return;
    this.partial += text.slice(start);
    if (this.partial.length > this.limits.lineChars) {
      this.breakMessage('line-too-long', this.partial);
      this.partial = '';
      this.skippingLine = true;
    }
  }

  private line(line: string): void {
    if (this.expectBanner) {
      this.expectBanner = false;
      return this.on.banner(line);
    }
    if (line === '') return this.endMessage();
    if (line.length > this.limits.lineChars) return this.breakMessage('line-too-long', line);
    if (this.broken) return;
    const colon = line.indexOf(':');
    if (colon <= 0) return this.breakMessage('malformed-line', line);
    this.chars += line.length;
    if (++this.fieldCount > this.limits.fields || this.chars > this.limits.messageChars) return this.breakMessage('message-too-big', line);
    const key = line.slice(0, colon).toLowerCase();
    // "A single space MUST follow the ':'", yet the spec's own example has "ConnectedLineName:" with nothing after it.
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (!this.fields.has(key)) this.fields.set(key, value);
  }

  private breakMessage(reason: AmiDropReason, sample: string): void {
    if (this.broken) return;
    this.broken = reason;
    this.fields = new Map();
    this.on.dropped(reason, sample.slice(0, 100));
  }

  private endMessage(): void {
    const fields = this.fields;
    const complete = !this.broken && this.fieldCount > 0;
    this.fields = new Map();
    this.fieldCount = 0;
    this.chars = 0;
    this.broken = null;
    if (complete) this.on.message(fields);
  }
}
