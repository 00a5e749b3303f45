import type { ReadingsBatch } from '@sanitation/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import type { InfluxConfig } from '../src/config/gateway.config.js';
import { InfluxSink } from '../src/influx/influx-sink.js';
import { WritePipeline } from '../src/influx/write-pipeline.js';
import { SpoolReader, type SpoolPosition } from '../src/spool/spool-reader.js';
import { Spool } from '../src/spool/spool.js';
import { dropDatabase, eventually, INFLUX_URL, influxQuery, tempDir, uniqueDb } from './helpers.js';

const RECORDS = 6;
const PER_RECORD = 100;

/** The real sink, except that its first request is held back until `release()`. */
class HoldFirstSink extends InfluxSink {
  calls = 0;
  done = 0;
  private held: Promise<void> | null = null;
  release: () => void = () => {};

  override async write(body: string) {
    if (++this.calls === 1) {
      this.held = new Promise<void>((r) => (this.release = r));
      await this.held;
    }
    const result = await super.write(body);
    this.done += 1;
    return result;
  }
}

describe('InfluxDB write pipeline', () => {
  const db = uniqueDb('pipeline');
  const dir = tempDir('pipeline');
  afterAll(async () => {
    await dropDatabase(db);
    dir.cleanup();
  });

  it('keeps several writes in flight but checkpoints only the contiguous confirmed prefix', async () => {
    const spool = await Spool.open({ dir: dir.dir });
    const ts = Date.now();
    for (let r = 0; r < RECORDS; r++) {
      const batch: ReadingsBatch = {
        gatewayId: 'gw-test',
        readings: Array.from({ length: PER_RECORD }, (_, i) => {
          const seq = r * PER_RECORD + i;
          return { deviceId: 'bin-pipe', kind: 'bin' as const, zone: 'z', ts, seq, values: { fillPct: seq % 100 }, receivedAt: ts };
        }),
      };
      await new Promise<void>((resolve, reject) =>
        spool.append(Buffer.from(JSON.stringify(batch)), PER_RECORD, (err) => (err ? reject(err) : resolve())),
      );
    }
    const cfg: InfluxConfig = { api: 1, url: INFLUX_URL, database: db, retentionPolicy: '', batchPoints: PER_RECORD, concurrency: 3, gzip: false };
    const sink = new HoldFirstSink(cfg);
    const confirmed: { next: SpoolPosition; readings: number; written: number }[] = [];
    const pipeline = new WritePipeline({
      reader: new SpoolReader(dir.dir),
      sink,
      from: spool.checkpoint,
      layout: spool.layout(),
      batchPoints: PER_RECORD,
      concurrency: 3,
      needsDatabase: true,
      events: { confirmed: (next, readings, written) => confirmed.push({ next, readings, written }), status: () => {}, log: () => {} },
    });
    const running = pipeline.run();

    // Batches 2 and 3 are stored while batch 1 is held: nothing may be confirmed yet.
    await eventually(() => sink.done >= 2);
    expect(sink.calls).toBe(3);
    expect(confirmed).toEqual([]);

    sink.release();
    await eventually(() => confirmed.reduce((n, c) => n + c.readings, 0) === RECORDS * PER_RECORD);
    expect(confirmed[0]!.readings).toBe(3 * PER_RECORD); // the held batch and the two behind it, at once
    expect(confirmed[confirmed.length - 1]!.next).toEqual(spool.committed);
    expect(confirmed.reduce((n, c) => n + c.written, 0)).toBe(RECORDS * PER_RECORD);

    const body = await influxQuery(db, 'SELECT count(seq) FROM bin');
    expect(body.results[0].series[0].values[0][1]).toBe(RECORDS * PER_RECORD);
    pipeline.stop(1000);
    await running;
    await spool.close();
  });
});
