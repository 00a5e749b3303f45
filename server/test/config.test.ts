import { describe, expect, it } from 'vitest';
import { ConfigException, parseServerConfig } from '../src/config/server.config.js';

const TOKEN = 'a-shared-secret-of-some-length';

function problems(env: Record<string, string | undefined>): string {
  try {
    parseServerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigException);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseServerConfig', () => {
  it('fills every default when only INTERNAL_TOKEN is given', () => {
    const config = parseServerConfig({ INTERNAL_TOKEN: TOKEN });
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_DIR: '.data',
      GATEWAY_MQTT_URLS: ['mqtt://127.0.0.1:1883'],
      INFLUX_API: '1',
      INFLUX_DB: 'sanitation',
      TOKEN_TTL_H: 12,
      LOG_LEVEL: 'info',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_PASSWORD).toBeUndefined();
  });

  it('stops with a message naming a missing INTERNAL_TOKEN', () => {
    expect(problems({})).toMatch(/INTERNAL_TOKEN: is required/);
  });

  it('names a malformed PORT and shows the bad value', () => {
    expect(problems({ INTERNAL_TOKEN: TOKEN, PORT: 'eighty' })).toMatch(/PORT: must be an integer between 0 and 65535 \(got "eighty"\)/);
    expect(problems({ INTERNAL_TOKEN: TOKEN, PORT: '70000' })).toMatch(/PORT: must be <= 65535/);
  });

  it('names every bad setting at once and never echoes secrets', () => {
    const message = problems({ INTERNAL_TOKEN: 'short', GATEWAY_MQTT_URLS: 'mqtt://a:1,http://b', DATABASE_URL: 'mysql://x' });
    expect(message).toMatch(/INTERNAL_TOKEN: must be at least 16/);
    expect(message).not.toContain('"short"');
    expect(message).toMatch(/GATEWAY_MQTT_URLS/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
  });

  it('parses lists and the InfluxDB API version', () => {
    const config = parseServerConfig({
      INTERNAL_TOKEN: TOKEN,
      GATEWAY_MQTT_URLS: 'mqtt://127.0.0.1:1883, mqtt://127.0.0.1:1884',
      INFLUX_API: 'v2',
      INFLUX_TOKEN: 't',
      PORT: '',
    });
    expect(config.GATEWAY_MQTT_URLS).toEqual(['mqtt://127.0.0.1:1883', 'mqtt://127.0.0.1:1884']);
    expect(config.INFLUX_API).toBe('2');
    expect(config.PORT).toBe(8080);
    expect(problems({ INTERNAL_TOKEN: TOKEN, INFLUX_API: '2' })).toMatch(/INFLUX_TOKEN: is required/);
  });
});
