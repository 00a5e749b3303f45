// The background load's PUBLISH: the ingest load generator's pre-encoded packet, but with a
// reading that triggers no rule (fill 35 %, 21.5 °C, upright, battery 87 %). The generator
// patches a per-publish number into `fillOffset`; here that offset points at an extra JSON key
// `n`, which the gateway's schema drops (unknown fields are ignored), so the rules engine sees
// a steady, unremarkable bin and the load creates no jobs of its own.
import mqttPacket from 'mqtt-packet';
import { FILL_WIDTH, SEQ_WIDTH, TS_WIDTH } from '../ingest/publish-template.mjs';

/** @param {string} deviceId @returns {ReturnType<typeof import('../ingest/publish-template.mjs').publishTemplate>} */
export function quietTemplate(deviceId) {
  const ts = '0'.repeat(TS_WIDTH);
  const seq = '0'.repeat(SEQ_WIDTH);
  const n = '0'.repeat(FILL_WIDTH);
  const json = `{"ts":${ts},"seq":${seq},"fillPct":35,"tempC":21.5,"tilted":false,"batteryPct":87,"n":${n}}`;
  const payload = Buffer.from(json, 'utf8');
  const packet = mqttPacket.generate({
    cmd: 'publish',
    topic: `sanitation/v1/bin/${deviceId}/telemetry`,
    payload,
    qos: 1,
    messageId: 1,
    retain: false,
    dup: false,
  });
  const payloadOffset = packet.length - payload.length;
  return {
    packet,
    pidOffset: payloadOffset - 2, // packet id directly precedes the payload for QoS > 0 [MQTT-3.3.2]
    tsOffset: payloadOffset + json.indexOf('"ts":') + 5,
    seqOffset: payloadOffset + json.indexOf('"seq":') + 6,
    fillOffset: payloadOffset + json.indexOf('"n":') + 4,
  };
}
