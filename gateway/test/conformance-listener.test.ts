import { describe, expect, it } from 'vitest';
import { connect, eventually, publish, useTestGateway } from './helpers.js';

// The development-only listener an outside MQTT 3.1.1 conformance suite runs against.
describe('authentication disabled (NODE_ENV=development only)', () => {
  const t = useTestGateway('conf', { env: { MQTT_AUTH_DISABLED: 'true', NODE_ENV: 'development' } });

  it('lets anonymous clients publish and subscribe to plain topics, with retained messages and QoS 2', async () => {
    const pub = await connect(t.gw.mqttPort, { clientId: 'conf-pub' });
    await new Promise<void>((r, j) => pub.publish('TopicA/B', 'retained', { qos: 1, retain: true }, (e) => (e ? j(e) : r())));
    const sub = await connect(t.gw.mqttPort, { clientId: 'conf-sub' });
    const got: string[] = [];
    sub.on('message', (t, p) => got.push(`${t}=${p.toString()}`));
    await new Promise((r) => sub.subscribe('TopicA/#', { qos: 2 }, r));
    await new Promise<void>((r, j) => pub.publish('TopicA/C', 'q2', { qos: 2 }, (e) => (e ? j(e) : r())));
    await publish(pub, 'TopicA/D', 'q1');
    await eventually(() => got.length >= 3);
    pub.end(true);
    sub.end(true);
    expect(got.sort()).toEqual(['TopicA/B=retained', 'TopicA/C=q2', 'TopicA/D=q1']);
  });

  it('still refuses $SYS publishes', async () => {
    const c = await connect(t.gw.mqttPort, { clientId: 'conf-sys' });
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish('$SYS/x', 'y', { qos: 1 });
    await closed;
    c.end(true);
  });
});
