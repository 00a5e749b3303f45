import { Inject, Injectable } from '@nestjs/common';
import {
  HISTORY_DEFAULT_RANGE_MS,
  HISTORY_MAX_POINTS,
  TELEMETRY_FIELDS,
  historyWindowMs,
  telemetrySchemas,
  type DeviceHistoryPoint,
  type DeviceHistoryQuery,
  type DeviceHistoryResponse,
  type DeviceKind,
  type HistoryAggregate,
} from '@sanitation/contracts';
import { z } from 'zod';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { HistoryException, HistoryExceptionCode } from './history.exception.js';
import { InfluxQueryClient } from './influx-query.client.js';

/** Boolean telemetry fields (from the contracts' schemas): InfluxQL has no mean() of booleans. */
function isBooleanField(kind: DeviceKind, field: string): boolean {
  const schema = (telemetrySchemas[kind].shape as Record<string, z.ZodType | undefined>)[field];
  return (schema instanceof z.ZodOptional ? schema.unwrap() : schema) instanceof z.ZodBoolean;
}

/**
 * A device's history from InfluxDB. The gateway stores each reading as a point of measurement
 * = kind with tags deviceId and zone and the values as fields (gateway/src/influx/line-protocol.ts),
 * so one device's history is `WHERE "deviceId" = '<id>'` on its kind's measurement.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly influx: InfluxQueryClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async history(deviceId: string, query: DeviceHistoryQuery): Promise<DeviceHistoryResponse> {
    const device = await this.devices.findById(deviceId);
    if (!device) throw new HistoryException(HistoryExceptionCode.DEVICE_NOT_FOUND, `device "${deviceId}" not found`);
    const plan = planHistoryQuery(device.kind, query, this.clock.now());
    const select = plan.fields
      .map((f) => `${plan.aggregates[f]}(${InfluxQueryClient.ident(f)}) AS ${InfluxQueryClient.ident(f)}`)
      .join(', ');
    const q =
      `SELECT ${select} FROM ${this.influx.measurement(device.kind)} ` +
      `WHERE "deviceId" = ${InfluxQueryClient.literal(device.deviceId)} AND time >= ${plan.fromMs}ms AND time < ${plan.toMs}ms ` +
      `GROUP BY time(${plan.window}) fill(none)`;
    const series = await this.influx.select(q);
    const points: DeviceHistoryPoint[] = [];
    for (const s of series) {
      const timeAt = s.columns.indexOf('time');
      for (const row of s.values) {
        const values: DeviceHistoryPoint['values'] = {};
        for (const f of plan.fields) {
          const v = row[s.columns.indexOf(f)];
          values[f] = typeof v === 'number' || typeof v === 'boolean' ? v : null;
        }
        points.push({ time: new Date(Number(row[timeAt])).toISOString(), values });
      }
    }
    points.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    return {
      deviceId: device.deviceId,
      kind: device.kind,
      from: new Date(plan.fromMs).toISOString(),
      to: new Date(plan.toMs).toISOString(),
      window: plan.window,
      aggregates: plan.aggregates,
      fields: plan.fields,
      points,
    };
  }
}

export interface HistoryPlan {
  fromMs: number;
  toMs: number;
  window: string;
  windowMs: number;
  fields: string[];
  aggregates: Record<string, HistoryAggregate>;
}

/** Pure: checks a parsed query against the device's kind and the point limit; 400 naming the parameter. */
export function planHistoryQuery(kind: DeviceKind, query: DeviceHistoryQuery, nowMs: number): HistoryPlan {
  const toMs = query.to !== undefined ? Date.parse(query.to) : nowMs;
  const fromMs = query.from !== undefined ? Date.parse(query.from) : toMs - HISTORY_DEFAULT_RANGE_MS;
  if (!(fromMs < toMs)) throw HistoryException.invalid('from', `must be before to (${new Date(toMs).toISOString()})`);
  const windowMs = historyWindowMs(query.window);
  if (windowMs === null) throw HistoryException.invalid('window', 'must be a duration like 30s, 5m, 1h, 1d or 1w');
  // Windows are aligned to the epoch, so a range can touch one more window than it spans.
  const windows = Math.floor((toMs - fromMs) / windowMs) + 1;
  if (windows > HISTORY_MAX_POINTS) {
    const minS = Math.ceil((toMs - fromMs) / (HISTORY_MAX_POINTS - 1) / 1000);
    throw HistoryException.invalid(
      'window',
      `${query.window} over this range gives ${windows} windows, more than ${HISTORY_MAX_POINTS}; use ${minS}s or more, or a shorter range`,
    );
  }
  const known = TELEMETRY_FIELDS[kind];
  const fields = query.fields ?? [...known];
  const unknown = fields.filter((f) => !known.includes(f));
  if (unknown.length) {
    throw HistoryException.invalid('fields', `${unknown.join(', ')} not a ${kind} field (${known.join(', ')})`);
  }
  const aggregates: Record<string, HistoryAggregate> = {};
  for (const f of fields) aggregates[f] = query.agg === 'mean' && isBooleanField(kind, f) ? 'max' : query.agg;
  return { fromMs, toMs, window: query.window, windowMs, fields, aggregates };
}
