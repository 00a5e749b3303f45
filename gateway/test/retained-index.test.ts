import { describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import { createRetainedIndexPersistence } from '../src/broker/retained-index.persistence.js';

async function topics(stream: Readable): Promise<string[]> {
  const out: string[] = [];
  for await (const packet of stream) out.push((packet as { topic: string }).topic);
  return out.sort();
}

/** aedes calls the (untyped) async setup before use. */
async function fresh() {
  const p = createRetainedIndexPersistence();
  await (p as unknown as { setup(broker: unknown): Promise<void> }).setup({});
  return p;
}

function retained(topic: string, payload: string) {
  return { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: true } as never;
}

describe('retained messages indexed by exact topic', () => {
  it('answers exact filters from the index and wildcard filters by scanning, both the same', async () => {
    const p = await fresh();
    for (const id of ['a', 'b', 'c']) await (p.storeRetained as unknown as (x: unknown) => Promise<void>)(retained(`sanitation/v1/bin/${id}/status`, 'online'));
    await (p.storeRetained as unknown as (x: unknown) => Promise<void>)(retained('sanitation/v1/bin/a/cmd', '{"cmdId":"1","action":"ping"}'));

    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/bin/a/cmd']))).toEqual(['sanitation/v1/bin/a/cmd']);
    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/bin/b/cmd']))).toEqual([]);
    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/bin/a/status', 'sanitation/v1/bin/c/status']))).toEqual([
      'sanitation/v1/bin/a/status',
      'sanitation/v1/bin/c/status',
    ]);
    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/+/+/status']))).toEqual([
      'sanitation/v1/bin/a/status',
      'sanitation/v1/bin/b/status',
      'sanitation/v1/bin/c/status',
    ]);
  });

  it('forgets a retained message cleared by an empty payload [MQTT-3.3.1-10], in the index and the scan', async () => {
    const p = await fresh();
    const store = p.storeRetained as unknown as (x: unknown) => Promise<void>;
    await store(retained('sanitation/v1/toilet/t1/status', 'online'));
    await store(retained('sanitation/v1/toilet/t1/status', ''));
    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/toilet/t1/status']))).toEqual([]);
    expect(await topics(p.createRetainedStreamCombi(['sanitation/v1/toilet/#']))).toEqual([]);
  });
});
