#!/usr/bin/env node
/**
 * Solves a TSPLIB CVRP file and prints the cost, the routes (node numbers as in the file) and the
 * time. Usage: node server/dist/routing/cli/solve-tsplib.js <file.vrp> [--time <s>] [--seed <n>] [--threads <n>] [--round]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { solveVrp } from '../solver/solve.js';
import { solveInWorker } from '../solver/solver-worker.js';
import { cvrpToProblem, parseTsplibCvrp, TsplibParseError } from './tsplib.parser.js';

const USAGE =
  'usage: solve-tsplib <file.vrp> [--time <seconds, default 10>] [--seed <int, default 1>] [--threads <1-8, default 1; n > 1: seeds seed…seed+n−1 in worker threads, best kept>] [--round] [--json]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      time: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      round: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      threads: { type: 'string', default: '1' },
    },
  });
  const file = positionals[0];
  const time = Number(values.time);
  const seed = Number(values.seed);
  const threads = Number(values.threads);
  if (!file || !(time > 0) || !Number.isInteger(seed) || !Number.isInteger(threads) || threads < 1 || threads > 8) {
    console.error(USAGE);
    process.exit(2);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
  let parsed;
  try {
    parsed = parseTsplibCvrp(text);
  } catch (e) {
    if (e instanceof TsplibParseError) {
      console.error(`${file}: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const { problem, nodeOfStop } = cvrpToProblem(parsed, values.round);
  // the limit covers the whole run: process start, parsing and printing included
  const budget = Math.max(100, time * 1000 - performance.now() - 250);
  // one seed inline, or one worker thread per seed (seed, seed+1, …) keeping the cheapest; a
  // worker takes a while to start, hence the shorter limit
  const sol =
    threads === 1
      ? solveVrp(problem, { seed, timeLimitMs: budget })
      : (await Promise.all(Array.from({ length: threads }, (_, k) => solveInWorker(problem, { seed: seed + k, timeLimitMs: Math.max(100, budget - 400) })))).reduce(
          (a, b) => (b.cost < a.cost - 1e-9 ? b : a),
        );
  const secs = performance.now() / 1000;
  const routes = sol.routes.map((r) =>
    r.visits.flatMap((v) => (v.type === 'stop' ? [nodeOfStop[v.stop]! + 1] : [])),
  );
  if (values.json) {
    console.log(JSON.stringify({ name: parsed.name, n: parsed.dimension - 1, cost: sol.cost, feasible: sol.feasible, seconds: secs, routes, unassigned: sol.unassigned.length, iterations: sol.stats.iterations }));
    return;
  }
  routes.forEach((r, i) => console.log(`Route #${i + 1}: ${r.join(' ')}`));
  if (sol.unassigned.length > 0) console.log(`Unassigned: ${sol.unassigned.map((u) => `${nodeOfStop[u.stop]! + 1} (${u.reason})`).join(', ')}`);
  console.log(`Cost ${sol.cost.toFixed(2)}`);
  console.log(`Time ${secs.toFixed(1)} s (${sol.stats.iterations} iterations, best at ${(sol.stats.bestAtMs / 1000).toFixed(1)} s, seed ${sol.stats.seed})`);
}

await main();
