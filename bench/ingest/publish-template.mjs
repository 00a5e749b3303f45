// The pre-encoded PUBLISH each simulated device repeats: a valid `bin` reading whose numbers are
// space-padded to a fixed width, so the generator only patches bytes in place per publish.
import mqttPacket from 'mqtt-packet';
import { writePaddedInt } from './mqtt-frames.mjs';

export const TS_WIDTH = 13; // epoch ms has 13 digits until the year 2286
export const SEQ_WIDTH = 12;
export const FILL_WIDTH = 3;

/**
 * Builds the per-device PUBLISH template: a valid `bin` reading whose numbers are
 * space-padded to a fixed width, with the offsets of the fields to patch.
 * @param {string} deviceId @param {string} kind
 */
export function publishTemplate(deviceId, kind = 'bin') {
  const ts = '0'.repeat(TS_WIDTH);
  const seq = '0'.repeat(SEQ_WIDTH);
  const fill = '0'.repeat(FILL_WIDTH);
  const json = `{"ts":${ts},"seq":${seq},"fillPct":${fill},"tempC":21.5,"tilted":false,"batteryPct":87}`;
  const payload = Buffer.from(json, 'utf8');
  const packet = mqttPacket.generate({
    cmd: 'publish',
    topic: `sanitation/v1/${kind}/${deviceId}/telemetry`,
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
    fillOffset: payloadOffset + json.indexOf('"fillPct":') + 10,
  };
}

/**
 * Writes one reading's ts, seq and fill level into a copy of the template at `base`.
 * @param {Buffer} out @param {number} base @param {ReturnType<typeof publishTemplate>} t
 * @param {number} nowMs @param {number} seq @param {number} fillPct
 */
export function patchReading(out, base, t, nowMs, seq, fillPct) {
  writePaddedInt(out, base + t.tsOffset, TS_WIDTH, nowMs);
  writePaddedInt(out, base + t.seqOffset, SEQ_WIDTH, seq);
  writePaddedInt(out, base + t.fillOffset, FILL_WIDTH, fillPct);
}
