// The floor for the ring → LED path: a process that only relays each serial line from a pty to an embedded
// aedes broker, with no parsing and no rules. Usage: node bare-relay.js <pty-path> <mqtt-port>
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { accessPolicy } from '../src/bridge/mqtt/broker-access.js';
import { startEmbeddedBroker } from '../src/bridge/mqtt/embedded-broker.js';
import mqtt from 'mqtt';

const [path, port] = process.argv.slice(2);
const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: Number(port), wsPort: false, policy: accessPolicy({ site: 'bare', readers: [], deskUnits: [] }) });
const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
const serial = new SerialPort({ path: path!, baudRate: 115200 });
serial.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => client.publish('bare/relay', line, { qos: 1, retain: true }));
serial.on('open', () => process.stdout.write('ready\n'));
process.once('SIGTERM', async () => {
  serial.close();
  await client.endAsync();
  await broker.close();
  process.exit(0);
});
