// `npm test`: install what is missing, start InfluxDB and PostgreSQL on non-default ports in a
// scratch folder, run every vitest project, stop the services, print one summary line.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureNodeModules, build } from './workspace.mjs';
import { ensureCommands, startInflux, startPostgres, isPortFree, wipe } from './services.mjs';

async function freePort(preferred) {
  for (let port = preferred; port < preferred + 200; port += 3) if (await isPortFree(port)) return port;
  throw new Error(`no free port near ${preferred}`);
}

const scratch = join(ROOT, '.tmp', 'test-services');
const services = [];
let exitCode = 1;
const stopAll = () => {
  for (const s of services.splice(0).reverse()) s.stop();
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  ensureNodeModules();
  ensureCommands(['influxd', 'pg_ctl', 'mosquitto_pub', 'chromium', 'cjk-font']);
  build({ typecheck: true });
  wipe(scratch);
  mkdirSync(scratch, { recursive: true });
  const influx = await startInflux({ dir: join(scratch, 'influx'), port: await freePort(28086) });
  services.push(influx);
  const pg = await startPostgres({ dir: join(scratch, 'pg'), port: await freePort(25432) });
  services.push(pg);

  const report = join(scratch, 'vitest-report.json');
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
  exitCode = await new Promise((resolve) => {
    const child = spawn('npx', args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TEST_INFLUX_URL: influx.url, TEST_DATABASE_URL: pg.url, INFLUXD_PID: String(influx.pid) },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    // The plain closing line CI reads: "N passed, N failed, N skipped".
    process.stdout.write(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`);
    if (r.numTotalTests === 0) exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`npm test: ${err.stack ?? err}\n`);
  exitCode = 1;
} finally {
  stopAll();
}
process.exit(exitCode);
