import cliProgress from 'cli-progress';
import type { SimStats } from '../simulation.js';

export interface ProgressReporter {
  stop(): void;
}

/**
 * A live bar (connected devices) with counters when stdout is a terminal; otherwise one plain log
 * line every `everyMs`, which is what a CI log or `npm start`'s output wants.
 */
export function startProgress(stats: () => SimStats, opts: { tty: boolean; everyMs?: number; write?: (line: string) => void }): ProgressReporter {
  let last = { published: 0, at: performance.now() };
  const rate = (s: SimStats) => {
    const now = performance.now();
    const r = ((s.published - last.published) * 1000) / Math.max(1, now - last.at);
    last = { published: s.published, at: now };
    return Math.round(r);
  };
  if (opts.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'devices {bar} {value}/{total} connected | {rate} readings/s | acked {acked} | buffered {buffered} | garbage {garbage} | sim {sim}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    const first = stats();
    bar.start(first.devices, first.connected, { rate: 0, acked: 0, buffered: 0, garbage: 0, sim: first.simTime.slice(0, 16) });
    const timer = setInterval(() => {
      const s = stats();
      bar.setTotal(s.devices);
      bar.update(s.connected, { rate: rate(s), acked: s.acked, buffered: s.buffered, garbage: s.garbageSent, sim: s.simTime.slice(0, 16) });
    }, 500);
    return {
      stop() {
        clearInterval(timer);
        bar.stop();
      },
    };
  }
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timer = setInterval(() => {
    const s = stats();
    write(
      `[sim ${s.simTime}] connected ${s.connected}/${s.devices} published ${s.published} acked ${s.acked} ` +
        `buffered ${s.buffered} failures ${s.sendFailures} dropped ${s.dropped} garbage ${s.garbageSent} rate ${rate(s)}/s`,
    );
  }, opts.everyMs ?? 5000);
  return { stop: () => clearInterval(timer) };
}
