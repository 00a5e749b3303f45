#!/usr/bin/env node
// Routing benchmark (issue 5, "bench/routing"): solves every TSPLIB CVRP file in a folder with the
// solver's CLI (server/dist/routing/cli/solve-tsplib.js), one instance at a time, re-checks each
// solution here (every customer exactly once, capacity, cost recomputed from the coordinates) and
// compares it with the best-known cost in bks.json. The last line is
// `routing: mean gap <x.xx>%, max gap <y.yy>%, max time <t.t> s`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseBenchArgs } from '../shared/cli.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'server/dist/routing/cli/solve-tsplib.js');
const USAGE = `usage: node bench/routing/run.mjs [options]
  --dir D       folder with *.vrp files and bks.json (default ../shared/data/cvrp from the project root)
  --time S      time limit per instance, seconds (default 10)
  --seed N      solver seed (default 1)
  --no-build    do not build the server first when server/dist lacks the CLI`;

const { args, intArg } = parseBenchArgs(USAGE, {
  dir: { type: 'string', default: resolve(ROOT, '../shared/data/cvrp') },
  time: { type: 'string', default: '10' },
  seed: { type: 'string', default: '1' },
  'no-build': { type: 'boolean', default: false },
});
const time = intArg('time', args.time, 1, 3600);
const seed = intArg('seed', args.seed, 0, 2 ** 31 - 1);

if (!existsSync(CLI)) {
  if (args['no-build']) {
    console.error(`${CLI} is missing: build the server first (cd server && npx tsc -p tsconfig.build.json)`);
    process.exit(2);
  }
  console.error('building server (tsc) …');
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: join(ROOT, 'server'), stdio: 'inherit' });
  if (!existsSync(CLI)) {
    console.error(`build did not produce ${CLI} (tsc exit ${b.status})`);
    process.exit(2);
  }
}

const dir = resolve(args.dir);
const bks = JSON.parse(readFileSync(join(dir, 'bks.json'), 'utf8'));
const files = readdirSync(dir).filter((f) => f.endsWith('.vrp')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
if (files.length === 0) {
  console.error(`no .vrp files in ${dir}`);
  process.exit(2);
}

/** Minimal TSPLIB reader for the independent check (coordinates, demands, capacity, depot). */
function readInstance(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  let cap = 0;
  let section = '';
  const xy = new Map();
  const dem = new Map();
  let depot = 1;
  for (const l of lines) {
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(l);
    if (kv) {
      if (kv[1] === 'CAPACITY') cap = Number(kv[2]);
      section = '';
      continue;
    }
    if (l.endsWith('_SECTION')) {
      section = l;
      continue;
    }
    const p = l.split(/\s+/).map(Number);
    if (section === 'NODE_COORD_SECTION' && p.length === 3) xy.set(p[0], [p[1], p[2]]);
    else if (section === 'DEMAND_SECTION' && p.length === 2) dem.set(p[0], p[1]);
    else if (section === 'DEPOT_SECTION' && p[0] > 0) depot = p[0];
  }
  return { cap, xy, dem, depot };
}

function check(inst, routes) {
  const d = (a, b) => Math.hypot(inst.xy.get(a)[0] - inst.xy.get(b)[0], inst.xy.get(a)[1] - inst.xy.get(b)[1]);
  const seen = new Map();
  let cost = 0;
  const problems = [];
  routes.forEach((r, i) => {
    let load = 0;
    let prev = inst.depot;
    for (const c of r) {
      if (!inst.xy.has(c) || c === inst.depot) problems.push(`route ${i + 1}: bad node ${c}`);
      seen.set(c, (seen.get(c) ?? 0) + 1);
      load += inst.dem.get(c) ?? 0;
      cost += d(prev, c);
      prev = c;
    }
    cost += d(prev, inst.depot);
    if (load > inst.cap + 1e-9) problems.push(`route ${i + 1}: load ${load} > capacity ${inst.cap}`);
  });
  for (const c of inst.xy.keys()) {
    if (c === inst.depot) continue;
    const k = seen.get(c) ?? 0;
    if (k !== 1) problems.push(`customer ${c} served ${k} times`);
  }
  return { cost, problems };
}

const pad = (s, n) => String(s).padStart(n);
console.log(`routing bench: ${files.length} instances from ${dir}, --time ${time} s, --seed ${seed}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${'instance'.padEnd(10)}${pad('n', 5)}${pad('BKS', 10)}${pad('cost', 10)}${pad('gap %', 8)}${pad('time s', 8)}  routes`);
const gaps = [];
const times = [];
let failed = false;
for (const f of files) {
  const name = f.replace(/\.vrp$/, '');
  const path = join(dir, f);
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [CLI, path, '--time', String(time), '--seed', String(seed), '--json'], { encoding: 'utf8' });
  const secs = (performance.now() - t0) / 1000;
  if (res.status !== 0) {
    console.log(`${name.padEnd(10)} solver failed (exit ${res.status}): ${res.stderr.trim()}`);
    failed = true;
    continue;
  }
  const out = JSON.parse(res.stdout.trim().split('\n').pop());
  const inst = readInstance(readFileSync(path, 'utf8'));
  const { cost, problems } = check(inst, out.routes);
  const ref = bks[name];
  const gap = typeof ref === 'number' ? (100 * (cost - ref)) / ref : NaN;
  const ok = problems.length === 0 && out.unassigned === 0;
  if (!ok) failed = true;
  if (Number.isFinite(gap)) gaps.push(gap);
  times.push(secs);
  console.log(
    `${name.padEnd(10)}${pad(out.n, 5)}${pad(ref?.toFixed(2) ?? '-', 10)}${pad(cost.toFixed(2), 10)}${pad(Number.isFinite(gap) ? gap.toFixed(2) : '-', 8)}${pad(secs.toFixed(1), 8)}  ${ok ? 'feasible' : `INFEASIBLE: ${problems.slice(0, 3).join('; ')}`}`,
  );
}
const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
const max = gaps.length ? Math.max(...gaps) : NaN;
const maxT = times.length ? Math.max(...times) : NaN;
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`routing: mean gap ${mean.toFixed(2)}%, max gap ${max.toFixed(2)}%, max time ${maxT.toFixed(1)} s`);
process.exit(failed ? 1 : 0);
