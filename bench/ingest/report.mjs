// Console output helpers shared by the benchmark phases. Phase lines go to stdout, progress
// and diagnostics to stderr, so stdout's last line is always the summary.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

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

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0); // without guest (already in user)
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
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
  const machine0 = machineJiffies();
  return {
    /** @returns {string} e.g. `bench 25%, broker 99%; machine 70% busy (2 cores)` */
    stop() {
      const wall = performance.now() - t0;
      const machine1 = machineJiffies();
      const busyPct = Math.round((100 * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total));
      return (
        Object.entries(pids)
          .map(([k, pid]) => `${k} ${pid ? Math.round((100 * (cpuMsOf(pid) - (start[k] ?? 0))) / wall) : '?'}%`)
          .join(', ') + `; whole machine ${busyPct}% busy (${cpus().length} cores, incl. other processes)`
      );
    },
  };
}

/** Share of the machine's CPU busy over `ms` (other processes included), before a phase. */
export async function machineBusyPct(ms = 1000) {
  const a = machineJiffies();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineJiffies();
  return Math.round((100 * (b.busy - a.busy)) / (b.total - a.total));
}

/**
 * Waits (at most `tries` seconds) for a second in which the machine is ≤ 20 % busy, so a phase
 * does not start inside someone else's burst; logs what it found.
 * @param {string} label @param {number} [tries]
 */
export async function settle(label, tries = 10) {
  let busy = 100;
  for (let i = 0; i < tries && busy > 20; i++) busy = await machineBusyPct();
  log(`${label} machine ${busy}% busy before the phase (${busy > 20 ? 'other processes are using the CPU: expect lower, noisier figures' : 'quiet'})`);
  return busy;
}
