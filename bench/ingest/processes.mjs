// Child processes and clean-up of the benchmark: every child is stopped when the benchmark
// ends, fails, or is interrupted (SIGINT/SIGTERM); anything left at exit gets SIGKILL.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Array<() => unknown>} clean-up steps, run last-in first-out */
const cleanups = [];
let installed = false;
let cleaning = null;

/**
 * Spawns `node <args>` with stdout/stderr appended to `logFile`.
 * @param {string[]} args @param {{ env?: NodeJS.ProcessEnv, logFile: string, cwd?: string, ipc?: boolean }} opts
 */
export function spawnNode(args, { env, logFile, cwd, ipc = false }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', fd, fd, ...(ipc ? ['ipc'] : [])],
  });
  closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code/signal.
 * @param {import('node:child_process').ChildProcess} child @param {number} [graceMs]
 */
export function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
    child.kill('SIGTERM');
  });
}

/** @param {() => unknown} fn */
export function onCleanup(fn) {
  cleanups.push(fn);
}

/** Runs clean-up steps (once), then stops whatever children remain. */
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (err) {
        process.stderr.write(`[bench] clean-up step failed: ${/** @type {Error} */ (err).message}\n`);
      }
    }
    await Promise.all([...children].map((c) => stopChild(c, 5000)));
  })();
  return cleaning;
}

export function installSignalHandlers() {
  if (installed) return;
  installed = true;
  const onSignal = (/** @type {NodeJS.Signals} */ sig) => {
    process.stderr.write(`[bench] ${sig}: stopping children\n`);
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}
