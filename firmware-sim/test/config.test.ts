import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../src/config/sim.config.js';

describe('run configuration', () => {
  it('takes flags over the environment and applies defaults', () => {
    const c = loadRunConfig({ devices: '250', duration: '1d', faults: 'bin-fire:2' }, { ADMIN_PASSWORD: 'from-env', SIM_MQTT_URL: 'mqtt://10.0.0.1:1883' });
    expect(c.simulation).toMatchObject({
      devices: 250,
      durationMs: 86_400_000,
      adminPassword: 'from-env',
      mqttUrl: 'mqtt://10.0.0.1:1883',
      serverUrl: 'http://127.0.0.1:8080',
      speed: 60,
      faults: [{ type: 'bin-fire', count: 2 }],
    });
    expect(loadRunConfig({ adminPassword: 'flag' }, { ADMIN_PASSWORD: 'env' }).simulation.adminPassword).toBe('flag');
  });

  it('takes the dispatch flags: shared clock anchor, truck thresholds, crew password, --no-fleet', () => {
    const c = loadRunConfig({ clockAnchor: '1795808000000', collectAt: '90', pumpAt: '85', fleet: false }, { SIM_CREW_PASSWORD: 'crew-secret-1' });
    expect(c.simulation).toMatchObject({ clockAnchor: 1795808000000, collectAtPct: 90, pumpAtPct: 85, crewPassword: 'crew-secret-1', registerFleet: false });
    expect(loadRunConfig({}, {}).simulation).toMatchObject({ collectAtPct: 50, pumpAtPct: 70, registerFleet: true });
    expect(() => loadRunConfig({ collectAt: '120' }, {})).toThrow(/--collect-at/);
    expect(() => loadRunConfig({ crewPassword: 'short' }, {})).toThrow(/--crew-password/);
  });

  it('the CLI\'s trucks follow the server\'s jobs unless --no-follow-jobs (or without the admin login that reads them)', () => {
    expect(loadRunConfig({ adminPassword: 'admin-pass' }, {}).simulation.followJobs).toBe(true);
    expect(loadRunConfig({ adminPassword: 'admin-pass', followJobs: false }, {}).simulation.followJobs).toBe(false);
    expect(loadRunConfig({}, {}).simulation.followJobs).toBe(false);
  });

  it.each([
    [{ devices: 'ten' }, /--devices/],
    [{ speed: '-3' }, /--speed/],
    [{ start: 'yesterday' }, /--start/],
    [{ duration: '3 weeks' }, /--duration/],
    [{ mqtt: 'http://x' }, /--mqtt/],
    [{ server: 'nope' }, /--server/],
    [{ faults: 'lamp-failure:x' }, /--faults/],
  ])('names the bad flag: %o', (flags, re) => {
    expect(() => loadRunConfig(flags, {})).toThrow(re);
  });
});
