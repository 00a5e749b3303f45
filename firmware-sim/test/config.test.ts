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
