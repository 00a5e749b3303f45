// Installs (Debian packages) and runs the local services the system and its tests need:
// InfluxDB 1.x (Debian's `influxdb`), PostgreSQL and mosquitto-clients. Plain Node, no
// dependencies, so it works before `npm install` has run.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, chownSync, openSync, rmSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Debian package that provides each command we need. */
const PACKAGES = {
  influxd: 'influxdb',
  mosquitto_pub: 'mosquitto-clients',
  pg_ctl: 'postgresql',
  chromium: 'chromium', // the dashboard's browser tests and bench (driven by playwright-core)
  'cjk-font': 'fonts-wqy-microhei', // Chinese text in the dashboard's screenshots (small font)
};

function log(msg) {
  process.stderr.write(`[services] ${msg}\n`);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Debian installs PostgreSQL's server binaries outside PATH. */
export function postgresBinDir() {
  const onPath = which('pg_ctl');
  if (onPath) return resolve(onPath, '..');
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

function haveCommand(cmd) {
  if (cmd === 'pg_ctl') return postgresBinDir() !== null;
  if (cmd === 'cjk-font') return spawnSync('sh', ['-c', 'fc-list :lang=zh | grep -q .']).status === 0;
  return which(cmd) !== null;
}

/** apt-get installs whatever of `commands` is missing. */
export function ensureCommands(commands) {
  const missing = commands.filter((c) => !haveCommand(c)).map((c) => PACKAGES[c]);
  if (missing.length === 0) return;
  const sudo = isRoot ? [] : ['sudo'];
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`'${args.join(' ')}' failed (exit ${r.status}); install ${missing.join(' ')} by hand`);
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  // Debian's maintainer scripts may start the packaged daemons on their default ports;
  // we run our own instances, so leave theirs alone but make sure ours do not collide.
}

export function waitForPort(port, host = '127.0.0.1', timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, reject) => {
    const attempt = () => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export async function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const server = net.createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, host, () => server.close(() => resolvePromise(true)));
  });
}

async function waitForHttp(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts influxd 1.x with its own config under `dir`, HTTP on `port`, RPC on `port + 2`.
 * Returns { url, stop() }.
 */
export async function startInflux({ dir, port }) {
  ensureCommands(['influxd']);
  dir = resolve(dir);
  mkdirSync(dir, { recursive: true });
  const conf = `reporting-disabled = true
bind-address = "127.0.0.1:${port + 2}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  index-version = "tsi1"
  max-values-per-tag = 0
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  max-body-size = 0
[logging]
  level = "warn"
[continuous_queries]
  log-enabled = false
`;
  const confPath = join(dir, 'influxdb.conf');
  writeFileSync(confPath, conf);
  const logFd = openSync(join(dir, 'influxd.log'), 'a');
  const child = spawn(which('influxd') ?? 'influxd', ['run', '-config', confPath], {
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  writeFileSync(join(dir, 'influxd.pid'), String(child.pid));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/ping`);
  log(`influxd ${url} (data ${dir})`);
  return {
    url,
    pid: child.pid,
    stop: () => stopPid(child.pid),
  };
}

/** Starts a throw-away PostgreSQL cluster under `dir` on `port` with trust auth on loopback. */
export async function startPostgres({ dir, port }) {
  ensureCommands(['pg_ctl']);
  const bin = postgresBinDir();
  dir = resolve(dir);
  const asPostgres = (cmd, args) => {
    const full = join(bin, cmd);
    const r = isRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'pgdata');
  const sockDir = join(dir, 'sock');
  mkdirSync(sockDir, { recursive: true });
  if (isRoot) {
    // The server refuses to run as root: hand the folder to the postgres user.
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(sockDir, uid, gid);
    if (existsSync(dataDir)) spawnSync('chown', ['-R', 'postgres:postgres', dataDir]);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    asPostgres('initdb', ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync']);
  }
  const logFile = join(dir, 'postgres.log');
  asPostgres('pg_ctl', [
    '-D', dataDir, '-l', logFile, '-w', '-t', '60',
    '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${sockDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`postgres ${url} (data ${dataDir})`);
  return {
    url,
    stop: () => {
      try {
        asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } catch (err) {
        log(`postgres stop: ${err.message}`);
      }
    },
  };
}

export function stopPid(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Removes a folder if it exists (test scratch space). */
export function wipe(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}
