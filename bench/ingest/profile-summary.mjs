// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per
// package, to name the gateway's hot spots. Also usable alone:
//   node bench/ingest/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** @param {string} url */
function packageOf(url) {
  if (!url) return '(native/gc)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0] ?? url;
  }
  const m = url.match(/\/work\/main\/([^/]+)\//);
  return m ? m[1] : url;
}

/** @param {string} file @param {{ top?: number }} [opts] */
export function summarizeProfile(file, { top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const totalUs = profile.endTime - profile.startTime;
  const byId = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} self time (µs) per node id, from samples × time deltas */
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFn = new Map();
  const byPkg = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const url = cf.url.replace(/^file:\/\//, '');
    const name = cf.functionName || '(anonymous)';
    const key = url ? `${name} ${url.replace('/work/main/', '')}:${cf.lineNumber + 1}` : name;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const pkg = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : packageOf(url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const pct = (/** @type {number} */ us) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const lines = [`  total ${(totalUs / 1e6).toFixed(1)} s; self time by package:`];
  for (const [pkg, us] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push(`  hottest functions (self time):`);
  for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${fn}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/ingest/profile-summary.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(file, { top: Number(top) || 30 }));
}
