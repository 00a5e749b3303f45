import type { LoginResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandsRepository } from '../../src/commands/commands.repository.js';
import { CommandsService } from '../../src/commands/commands.service.js';
import { DevicesService } from '../../src/devices/devices.service.js';
import { ReadingsConsumer } from '../../src/ingest/readings.consumer.js';
import { TaskRegistry } from '../../src/scheduler/task.registry.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually, startBroker, type TestBroker } from '../support/broker.js';

const ADMIN_PASSWORD = 'admin-password-1';

describe('command delivery edges', () => {
  let server: RunningApp;
  let broker: TestBroker | undefined;
  let admin: string;

  beforeAll(async () => {
    // No gateway at first: the default test config points at port 1.
    server = await startApp({ ADMIN_PASSWORD, SCHEDULER_TICK_MS: '0' });
    await server.app.get(DevicesService).register({ id: 'light-9', kind: 'streetlight', name: 'Lamp 9', lat: 1, lon: 2 });
    admin = (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
  });
  afterAll(async () => {
    await server?.close();
    await broker?.close();
  });

  it('no gateway connected: 503, and the record says failed with the reason', async () => {
    const res = await call(server.baseUrl, 'POST', '/api/devices/light-9/commands', { token: admin, body: { action: 'on' } });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('GATEWAY_UNAVAILABLE');
    const list = await call(server.baseUrl, 'GET', '/api/devices/light-9/commands', { token: admin });
    expect(list.body.items).toEqual([expect.objectContaining({ action: 'on', status: 'failed', error: expect.stringContaining('no gateway connected') })]);
  });

  it('the periodic task times out unanswered commands without anyone reading them', async () => {
    broker = await startBroker();
    const reconnect = await startApp({ ADMIN_PASSWORD, SCHEDULER_TICK_MS: '0', GATEWAY_MQTT_URLS: broker.url });
    try {
      await reconnect.app.get(DevicesService).register({ id: 'light-8', kind: 'streetlight', name: 'Lamp 8', lat: 1, lon: 2 });
      await eventually(() => reconnect.app.get(ReadingsConsumer).connections()[0]?.connected, 'the server to connect');
      const svc = reconnect.app.get(CommandsService);
      let wall = 1_000_000;
      svc.options.wallNow = () => wall;
      const record = await svc.send('light-8', { action: 'off' }, 'admin');
      const repo = reconnect.app.get(CommandsRepository);
      const task = reconnect.app.get(TaskRegistry).list().find((t) => t.name === 'commands-expire')!;
      await task.run(0);
      expect((await repo.find('light-8', record.cmdId))?.status).toBe('sent');
      wall += svc.options.ackTimeoutMs;
      await task.run(0);
      expect((await repo.find('light-8', record.cmdId))?.status).toBe('timeout');
    } finally {
      await reconnect.close();
    }
  });
});
