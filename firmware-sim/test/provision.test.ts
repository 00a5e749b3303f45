import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCity } from '../src/city/city.generator.js';
import { provisionFleet } from '../src/provision/provision.service.js';
import { ProvisioningStandIn } from './helpers/provisioning-stand-in.js';

let dir: string;
let server: ProvisioningStandIn;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-prov-'));
  server = await new ProvisioningStandIn('pw-123').start();
});
afterEach(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('provisioning through the server API', () => {
  it('imports the city, keeps the secrets, reuses them on re-run and rotates unknown ones', async () => {
    const city = generateCity({ seed: 7, devices: 60 });
    const file = join(dir, 'creds.json');
    const opts = { serverUrl: server.url, adminUser: 'admin', adminPassword: 'pw-123', credentialsFile: file };

    const first = await provisionFleet(city, opts);
    expect(first.imported).toBe(60);
    expect(first.secrets.get('bin-00001')).toBe(server.secrets.get('bin-00001'));
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(saved.secrets)).toHaveLength(60);

    server.calls.length = 0;
    const second = await provisionFleet(city, opts);
    expect(second).toMatchObject({ imported: 0, rotated: 0, reused: 60 });
    expect(server.calls.filter((c) => c.includes('import'))).toHaveLength(0);

    // A fleet that grew: the old devices exist on the server, but this file knows none of them.
    const bigger = generateCity({ seed: 7, devices: 80 });
    const third = await provisionFleet(bigger, { ...opts, credentialsFile: join(dir, 'other.json') });
    expect(third.imported + third.rotated).toBe(80);
    expect(third.rotated).toBeGreaterThan(0);
    for (const d of bigger.devices) expect(third.secrets.get(d.id)).toBe(server.secrets.get(d.id));
  });

  it('names the problem when the password is wrong', async () => {
    const city = generateCity({ seed: 7, devices: 10 });
    await expect(provisionFleet(city, { serverUrl: server.url, adminUser: 'admin', adminPassword: 'nope', credentialsFile: join(dir, 'c.json') })).rejects.toThrow(/login: HTTP 401/);
  });
});
