// Worker-thread entry of the InfluxDB writer: spool reads, JSON → line protocol and HTTP run here
// so they use the second core instead of competing with the broker's event loop.
import { setLogger } from '@influxdata/influxdb-client';
import { parentPort, workerData } from 'node:worker_threads';
import { SpoolReader, type SpoolLayout } from '../spool/spool-reader.js';
import { InfluxSink } from './influx-sink.js';
import { WritePipeline } from './write-pipeline.js';
import type { FromWriter, LayoutMessage, ToWriter, WriterData } from './writer-messages.js';

const port = parentPort!;
const data = workerData as WriterData;
const post = (m: FromWriter) => port.postMessage(m);
const toLayout = (m: LayoutMessage): SpoolLayout => ({ committed: m.committed, closed: new Map(m.closed) });

// The client would log to the console; its messages are repeated in our own warnings anyway.
setLogger({ error: () => {}, warn: () => {} });

const pipeline = new WritePipeline({
  reader: new SpoolReader(data.spoolDir),
  sink: new InfluxSink(data.influx),
  from: data.from,
  layout: toLayout(data.layout),
  batchPoints: data.influx.batchPoints,
  concurrency: data.influx.concurrency,
  needsDatabase: data.influx.api === 1,
  events: {
    confirmed: (next, readings, written, dropped) => post({ type: 'confirmed', next, readings, written, dropped }),
    status: (lastError) => post({ type: 'status', lastError }),
    log: (level, msg, extra) => post({ type: 'log', level, msg, data: extra }),
  },
});

port.on('message', (m: ToWriter) => {
  if (m.type === 'layout') pipeline.update(toLayout(m));
  else pipeline.stop(m.drainMs);
});

pipeline.run().then(
  () => {
    post({ type: 'stopped' });
    port.close();
  },
  (err: Error) => {
    // Unexpected (e.g. a corrupt spool record): let the parent see the error and decide.
    throw err;
  },
);
