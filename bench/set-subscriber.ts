// A desk unit stand-in in its own process, as a real one is on its own device: prints the wall-clock arrival
// time (performance.timeOrigin + now, comparable across processes on this machine) of every desk command.
// Usage: node set-subscriber.js <mqtt-url> <topic>
import mqtt from 'mqtt';

const [url, topic] = process.argv.slice(2);
const client = await mqtt.connectAsync(url!, { protocolVersion: 4 });
(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
client.on('message', (_topic, payload) => process.stdout.write(`${(performance.timeOrigin + performance.now()).toFixed(3)} ${payload.toString()}\n`));
await client.subscribeAsync(topic!, { qos: 1 });
process.stdout.write('ready\n');
process.once('SIGTERM', () => void client.endAsync().then(() => process.exit(0)));
