import type { Aedes, Client } from 'aedes';

/** How long a publish waits for its subscribers' acknowledgements at most (a desk unit that never acks). */
const GIVE_UP_MS = 100;
/** Filters remembered per client: a client with more is not waited for on the rest (its topics are its own words). */
const FILTERS_PER_CLIENT = 32;

/**
 * Tells the embedded broker's own publisher when the clients a message went to have it: once every client with a
 * QoS 1 subscription matching the topic has acknowledged a message (PUBACK) or left, after aedes has written it to
 * them; at once when there is none; after GIVE_UP_MS at most.
 *
 * Why wait that long: on a machine with few (or packed) CPUs, the bridge's work behind a desk command (the log
 * entry, state publishes, the console line) took the CPU the desk's client needed to read it — in the external
 * broker bench the embedded path's last hop (written → at the desk) took 0.8 ms longer than the floor's until the
 * work waited for the desk's PUBACK, and then the same as the floor's.
 *
 * A client's acknowledgement counts whichever of its messages it acknowledges (aedes does not say which one for a
 * clean session): a client acknowledges in order, so an earlier message's PUBACK means ours is next in line. Only
 * when the deferred work runs depends on it, never what is delivered.
 */
export class DeliveryAcks {
  private readonly waiting = new Set<{ clients: Set<Client>; done: () => void; timer: NodeJS.Timeout }>();
  /** Each client's subscriptions at QoS 1 (a session aedes restores without SUBSCRIBE is not known: not waited for). */
  private readonly qos1Filters = new WeakMap<Client, Set<string>>();

  constructor(aedes: Aedes) {
    aedes.on('subscribe', (subscriptions, client) => {
      const filters = this.qos1Filters.get(client) ?? new Set<string>();
      for (const { topic, qos } of subscriptions) {
        if (qos === 0) filters.delete(topic);
        else if (filters.size < FILTERS_PER_CLIENT) filters.add(topic);
      }
      this.qos1Filters.set(client, filters);
    });
    aedes.on('unsubscribe', (filters, client) => {
      for (const filter of filters) this.qos1Filters.get(client)?.delete(filter);
    });
    aedes.on('ack', (_packet, client) => this.heardFrom(client));
    aedes.on('clientDisconnect', (client) => this.heardFrom(client));
  }

  /** Call once aedes has written the message on `topic` to `clients`' connections (its publish callback). */
  whenAcknowledged(clients: Iterable<Client>, topic: string, done: () => void): void {
    const expected = new Set<Client>();
    for (const client of clients) if (this.subscribedAtQos1(client, topic)) expected.add(client);
    if (expected.size === 0) return done();
    const wait = {
      clients: expected,
      done,
      timer: setTimeout(() => this.finish(wait), GIVE_UP_MS).unref(),
    };
    this.waiting.add(wait);
  }

  /** Ends every wait now (the broker is closing). */
  close(): void {
    for (const wait of this.waiting) this.finish(wait);
  }

  private subscribedAtQos1(client: Client, topic: string): boolean {
    for (const filter of this.qos1Filters.get(client) ?? []) if (topicMatches(filter, topic)) return true;
    return false;
  }

  private heardFrom(client: Client): void {
    for (const wait of this.waiting) if (wait.clients.delete(client) && wait.clients.size === 0) this.finish(wait);
  }

  private finish(wait: { done: () => void; timer: NodeJS.Timeout }): void {
    if (!this.waiting.delete(wait as never)) return;
    clearTimeout(wait.timer);
    wait.done();
  }
}

/** MQTT 3.1.1 §4.7: `+` is one level, a trailing `#` is the rest (and its parent); wildcards never match `$` topics at the top. */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
