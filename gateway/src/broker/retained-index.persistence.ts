import { Readable } from 'node:stream';
import * as persistenceModule from 'aedes-persistence';
import type { AedesPersistence, Packet } from 'aedes-persistence';

// The package is CommonJS (`module.exports = factory`) but its typings declare an ES default
// export; under NodeNext the runtime default is module.exports, which the typings miss.
const memoryPersistence = (persistenceModule as unknown as { default: () => AedesPersistence }).default;

/** The retained packets we index: PUBLISH packets, which carry a topic and a payload. */
type RetainedPacket = Packet & { topic: string; payload: Buffer };

/** True for a topic filter without MQTT wildcards [MQTT-4.7.1]. */
function isExactTopic(filter: string): boolean {
  return !filter.includes('+') && !filter.includes('#');
}

/**
 * aedes' in-memory persistence answers each SUBSCRIBE by testing every retained message against
 * the filter. Every device keeps a retained `status` and subscribes to its own `cmd` on connect,
 * so at 10,000 devices each subscribe cost ~5 ms and connects crawled to ~100/s. Filters without
 * wildcards (all device subscriptions) are answered from an index by exact topic instead; wildcard
 * filters (service clients) still take the full scan.
 */
export function createRetainedIndexPersistence(): AedesPersistence {
  const persistence = memoryPersistence();
  const byTopic = new Map<string, RetainedPacket>();

  const storeRetained = persistence.storeRetained.bind(persistence) as (packet: Packet, cb?: (err?: Error | null) => void) => unknown;
  const index = (packet: RetainedPacket): void => {
    // [MQTT-3.3.1-10]: a retained message with an empty payload removes the retained message.
    if (packet.payload.length === 0) byTopic.delete(packet.topic);
    else byTopic.set(packet.topic, { ...packet });
  };
  // aedes 1.x calls this without a callback and awaits the promise; keep both forms working.
  persistence.storeRetained = ((packet: RetainedPacket, cb?: (err?: Error | null) => void) => {
    index(packet);
    return storeRetained(packet, cb);
  }) as AedesPersistence['storeRetained'];

  const scan = persistence.createRetainedStreamCombi.bind(persistence);
  persistence.createRetainedStreamCombi = (patterns: string[]): Readable => {
    if (!patterns.every(isExactTopic)) return scan(patterns);
    const hits: RetainedPacket[] = [];
    for (const topic of patterns) {
      const packet = byTopic.get(topic);
      if (packet) hits.push(packet);
    }
    return Readable.from(hits);
  };
  return persistence;
}
