// Console output helpers shared by the benchmark phases. Phase lines go to stdout, progress
// and diagnostics to stderr, so stdout's last line is always the summary.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

/** @param {string} msg */
export function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** @param {number} n */
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** @param {string} label @param {number} t0 */
export function progressReporter(label, t0) {
  let lastAcked = 0;
  let lastAt = performance.now();
  return (/** @type {import('./load-generator.mjs').LoadGenerator} */ gen) => {
    const now = performance.now();
    const rate = ((gen.acked - lastAcked) * 1000) / (now - lastAt);
    log(`${label} t=${((now - t0) / 1000).toFixed(1)}s acked=${fmt(gen.acked)}/${fmt(gen.total)} (${fmt(rate)}/s) in flight=${fmt(gen.sent - gen.acked)}`);
    lastAcked = gen.acked;
    lastAt = now;
  };
}

/** @param {ReturnType<import('./load-generator.mjs').LoadGenerator['result']>} r */
export function latencyText(r) {
  const l = r.latencyMs;
  return `publish→PUBACK p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms`;
}


/** CPU time (ms) of a process from /proc (Linux), or NaN elsewhere. @param {number} pid */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime are fields 14 and 15 of stat, in clock ticks (USER_HZ = 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Measures the CPU used by some processes over an interval, as % of one core, so a phase
 * line can show whether the generator or the system under test was saturated.
 * @param {Record<string, number | undefined>} pids label -> pid
 */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuMsOf(pid) : NaN]));
  return {
    /** @returns {string} e.g. `bench 95%, broker 99%` */
    stop() {
      const wall = performance.now() - t0;
      return Object.entries(pids)
        .map(([k, pid]) => `${k} ${pid ? Math.round((100 * (cpuMsOf(pid) - (start[k] ?? 0))) / wall) : '?'}%`)
        .join(', ');
    },
  };
}
