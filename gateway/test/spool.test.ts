import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, type RecoveredRecord } from '../src/spool/spool.js';
import { decodeRecord, encodeRecord } from '../src/spool/spool-record.js';
import { tempDir } from './helpers.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});
function freshDir(): string {
  const d = tempDir('spool');
  dirs.push(d);
  return d.dir;
}

const rec = (i: number) => Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(i % 50) }));
const append = (spool: Spool, payload: Buffer, count = 1) =>
  new Promise<void>((resolve, reject) => spool.append(payload, count, (err) => (err ? reject(err) : resolve())));

function segments(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();
}

/** Complete records on disk, decoded independently of the Spool class. */
function recordsOnDisk(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of segments(dir)) {
    const data = readFileSync(join(dir, name));
    let off = 0;
    for (;;) {
      const r = decodeRecord(data, off);
      if (typeof r === 'string') break;
      out.push(Buffer.from(r.payload));
      off += r.size;
    }
  }
  return out;
}

describe('spool', () => {
  it('group-commits appends of one tick in one write + fdatasync, and calls back only once they are on disk', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir });
    const onDiskAtCallback: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        append(spool, rec(i)).then(() => {
          onDiskAtCallback.push(recordsOnDisk(dir).length);
        }),
      ),
    );
    expect(spool.commits).toBe(1);
    expect(onDiskAtCallback.every((n) => n === 200)).toBe(true);
    // Appends arriving while a commit is in flight form the next group.
    const more = Array.from({ length: 50 }, (_, i) => append(spool, rec(200 + i)));
    await Promise.all(more);
    expect(spool.commits).toBe(2);
    await spool.close();
  });

  it('recovers from a torn tail left by a crash: truncates it and keeps every complete record', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir });
    for (let i = 0; i < 10; i++) await append(spool, rec(i), 3);
    await spool.close();
    const [seg] = segments(dir);
    const sizeBefore = statSync(join(dir, seg!)).size;
    // Half of a record, as if the process died mid-write.
    appendFileSync(join(dir, seg!), encodeRecord(rec(99), 3).subarray(0, 17));

    const recovered: RecoveredRecord[] = [];
    const reopened = await Spool.open({ dir, onWarning: () => {} }, (r) => recovered.push(r));
    expect(recovered.map((r) => JSON.parse(r.payload.toString()).i)).toEqual([...Array(10).keys()]);
    expect(statSync(join(dir, seg!)).size).toBe(sizeBefore);
    expect(reopened.pendingReadings).toBe(30);
    await append(reopened, rec(10), 3);
    const all = await reopened.read(reopened.checkpoint, 1000);
    expect(all.map((r) => JSON.parse(r.payload.toString()).i)).toEqual([...Array(11).keys()]);
    await reopened.close();
  });

  it('truncates at a record whose CRC does not match', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir });
    for (let i = 0; i < 5; i++) await append(spool, rec(i));
    await spool.close();
    const path = join(dir, segments(dir)[0]!);
    const data = readFileSync(path);
    const firstSize = (decodeRecord(data, 0) as { size: number }).size;
    const secondSize = (decodeRecord(data, firstSize) as { size: number }).size;
    data[firstSize + secondSize + 14]! ^= 0xff; // flip a payload byte of the third record
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, data);
    const recovered: RecoveredRecord[] = [];
    const reopened = await Spool.open({ dir, onWarning: () => {} }, (r) => recovered.push(r));
    expect(recovered).toHaveLength(2);
    await reopened.close();
  });

  it('replays only what was not confirmed after a restart, across segments, and deletes confirmed segments', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir, segmentBytes: 300 });
    for (let i = 0; i < 40; i++) await append(spool, rec(i), 2);
    expect(segments(dir).length).toBeGreaterThan(3);
    const firstHalf = await spool.read(spool.checkpoint, 40); // 20 records × 2 readings
    expect(firstHalf).toHaveLength(20);
    await spool.confirm(firstHalf[firstHalf.length - 1]!.next, 40);
    const segmentsAfterConfirm = segments(dir).length;
    await spool.close();

    const recovered: RecoveredRecord[] = [];
    const reopened = await Spool.open({ dir, segmentBytes: 300 }, (r) => recovered.push(r));
    expect(reopened.pendingReadings).toBe(40);
    const replay = await reopened.read(reopened.checkpoint, 10_000);
    expect(replay.map((r) => JSON.parse(r.payload.toString()).i)).toEqual(Array.from({ length: 20 }, (_, k) => 20 + k));
    expect(recovered.filter((r) => r.pending)).toHaveLength(20);
    expect(segmentsAfterConfirm).toBeLessThan(11);
    // Confirm everything: all but the active segment go away.
    await reopened.confirm(replay[replay.length - 1]!.next, 40);
    await reopened.close();
    expect(segments(dir).length).toBeLessThanOrEqual(2);
    const again = await Spool.open({ dir, segmentBytes: 300 });
    expect(await again.read(again.checkpoint, 10_000)).toHaveLength(0);
    expect(again.pendingReadings).toBe(0);
    await again.close();
  });

  it('acks a duplicate only after the group holding the original is durable (whenDurable)', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir });
    const order: string[] = [];
    spool.append(rec(1), 1, () => order.push('append'));
    spool.whenDurable(() => order.push('durable'));
    await new Promise<void>((r) => spool.whenDurable(r));
    expect(order).toEqual(['append', 'durable']);
    await spool.close();
  });
});
