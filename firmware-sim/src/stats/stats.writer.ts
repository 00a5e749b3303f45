import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeviceKind } from '@sanitation/contracts';
import type { SimStats } from '../simulation.js';

/** `--stats-out` file: totals plus, per device, what an end-to-end test compares with storage. */
export interface StatsFile {
  generatedAt: string;
  seed: number;
  simStart: string;
  simEnd: string;
  totals: Omit<SimStats, 'perDevice' | 'simTime'>;
  devices: Record<string, { kind: DeviceKind; published: number; acked: number; garbageSent: number; garbageAcked: number; sendFailures: number; dropped: number; buffered: number; lastSeq: number }>;
}

export function toStatsFile(stats: SimStats, seed: number, simStart: number): StatsFile {
  const { perDevice, simTime, ...totals } = stats;
  const devices: StatsFile['devices'] = {};
  for (const [id, d] of Object.entries(perDevice)) {
    devices[id] = { kind: d.kind, published: d.published, acked: d.acked, garbageSent: d.garbageSent, garbageAcked: d.garbageAcked, sendFailures: d.sendFailures, dropped: d.dropped, buffered: d.buffered, lastSeq: d.lastSeq };
  }
  return { generatedAt: new Date().toISOString(), seed, simStart: new Date(simStart).toISOString(), simEnd: simTime, totals, devices };
}

export async function writeStatsFile(path: string, stats: SimStats, seed: number, simStart: number): Promise<StatsFile> {
  const file = toStatsFile(stats, seed, simStart);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(file, null, 1));
  return file;
}
