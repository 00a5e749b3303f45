import type { Client, ConnectPacket } from 'aedes';
import mqttPacket from 'mqtt-packet';

/**
 * preConnect: protocol checks aedes does not make, run before authentication.
 *
 * - [MQTT-3.1.3-8] an empty client id with CleanSession=0 must get CONNACK 0x02 (identifier
 *   rejected) and the connection closed. aedes would invent an id; we answer ourselves, then
 *   fail the hook so aedes destroys the socket. With CleanSession=1 the empty id passes and
 *   aedes assigns one [MQTT-3.1.3-6].
 * - Keepalive cap: MQTT 3.1.1 has no way to tell a client another keepalive (Server Keep Alive
 *   is MQTT 5), and refusing the CONNECT would lock out firmware that cannot be reconfigured.
 *   So a keepalive of 0 (none) or above the cap is replaced by the cap on our side only: aedes then
 *   drops a connection that is silent for 1.5 × cap [MQTT-3.1.2-24], which bounds how long a
 *   half-open TCP connection (dead modem, NAT timeout) holds resources. A well-behaved client
 *   that really idles longer just reconnects.
 */
export function createPreConnect(keepaliveMaxS: number) {
  return function preConnect(client: Client, packet: ConnectPacket, callback: (error: Error | null, success: boolean) => void): void {
    if (packet.clientId === '' && packet.clean === false) {
      const connack = mqttPacket.generate({ cmd: 'connack', returnCode: 2, sessionPresent: false });
      const err = Object.assign(new Error('identifier rejected: empty client id requires clean session [MQTT-3.1.3-8]'), { returnCode: 2 });
      const conn = client.conn;
      if (conn.destroyed || !conn.writable) return callback(err, false);
      conn.write(connack, () => callback(err, false));
      return;
    }
    if (!packet.keepalive || packet.keepalive > keepaliveMaxS) packet.keepalive = keepaliveMaxS;
    callback(null, true);
  };
}
