import type { DeviceKind } from '@sanitation/contracts';
import { verifyDeviceSecret } from '@sanitation/contracts/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database/database.js';
import { MIGRATIONS } from '../src/database/migrations.js';
import { migrate } from '../src/database/migrator.js';
import { DevicePresenceStore } from '../src/devices/device-presence.store.js';
import { DevicesException, DevicesExceptionCode } from '../src/devices/devices.exception.js';
import { DevicesRepository } from '../src/devices/devices.repository.js';
import { DevicesService } from '../src/devices/devices.service.js';
import { DRIVERS, openMigrated, type TestDatabaseFactory } from './support/databases.js';

const KINDS: DeviceKind[] = ['bin', 'toilet', 'septic', 'streetlight', 'truck'];

function feature(id: string, i: number, overrides: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [116.3 + (i % 100) / 1000, 39.9 + Math.floor(i / 100) / 1000] },
    properties: { id, kind: KINDS[i % KINDS.length], name: `Device ${i}`, zone: `zone-${i % 7}`, ...overrides },
  };
}

describe.each(DRIVERS)('devices repository on $driver', ({ factory: makeFactory }) => {
  let factory: TestDatabaseFactory;
  let db: Database;
  let repository: DevicesRepository;
  let service: DevicesService;

  beforeAll(async () => {
    factory = makeFactory();
    db = await openMigrated(factory);
    repository = new DevicesRepository(db);
    service = new DevicesService(repository, new DevicePresenceStore());
  });
  afterAll(async () => factory?.cleanup());

  it('registers a device, stores only the secret hash, and refuses a duplicate id', async () => {
    const { device, secret } = await service.register({
      id: 'bin-0001',
      kind: 'bin',
      name: 'Bin at the market',
      lat: 39.91,
      lon: 116.39,
      zone: 'central',
      attributes: { capacityL: 240 },
    });
    expect(device).toMatchObject({
      deviceId: 'bin-0001',
      kind: 'bin',
      lat: 39.91,
      lon: 116.39,
      zone: 'central',
      attributes: { capacityL: 240 },
      status: 'active',
      lastSeenAt: null,
    });
    expect(new Date(device.createdAt).getTime()).not.toBeNaN();
    const stored = await db.query<{ secret_hash: string }>('SELECT secret_hash FROM devices WHERE id = $1', ['bin-0001']);
    expect(stored[0]!.secret_hash).not.toContain(secret);
    expect(verifyDeviceSecret(secret, stored[0]!.secret_hash)).toBe(true);

    const duplicate = service.register({ id: 'bin-0001', kind: 'truck', name: 'x', lat: 0, lon: 0 });
    await expect(duplicate).rejects.toBeInstanceOf(DevicesException);
    await expect(duplicate).rejects.toMatchObject({ code: DevicesExceptionCode.DEVICE_ALREADY_EXISTS });
    expect((await repository.findById('bin-0001'))!.kind).toBe('bin');
  });

  it('imports 10,000 features in one go, reporting invalid and duplicate ones by index', async () => {
    const features: unknown[] = Array.from({ length: 10_000 }, (_, i) => feature(`imp-${String(i).padStart(5, '0')}`, i));
    features[3] = feature('imp-bad-kind', 3, { kind: 'lamp' });
    features[10] = feature('imp-00009', 10); // same id as feature 9
    features[11] = feature('bin-0001', 11); // already registered
    const { created, errors } = await service.import(features);
    expect(errors).toEqual([
      expect.objectContaining({ index: 3, deviceId: 'imp-bad-kind', error: expect.stringMatching(/^features\.3\.properties\.kind: /) }),
      expect.objectContaining({ index: 10, deviceId: 'imp-00009', error: expect.stringMatching(/duplicate id .*feature 9/) }),
      expect.objectContaining({ index: 11, deviceId: 'bin-0001', error: expect.stringMatching(/already exists/) }),
    ]);
    expect(created).toHaveLength(9_997);
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE id LIKE 'imp-%'`);
    expect(count!.n).toBe(9_997);
    // Each returned secret matches what was stored for that device.
    const sample = created[4_321]!;
    const [row] = await db.query<{ secret_hash: string }>('SELECT secret_hash FROM devices WHERE id = $1', [sample.deviceId]);
    expect(verifyDeviceSecret(sample.secret, row!.secret_hash)).toBe(true);
    const imported = await repository.findById('imp-00042');
    expect(imported).toMatchObject({ lon: 116.342, lat: 39.9, zone: 'zone-0', kind: KINDS[42 % 5] });
  });

  it('lists with filters and paging, ordered by id', async () => {
    const all = await repository.list({ limit: 10_000, offset: 0 });
    expect(all.total).toBe(9_998);
    const bins = await repository.list({ kind: 'bin', zone: 'zone-3', limit: 5, offset: 0 });
    expect(bins.items).toHaveLength(5);
    expect(bins.items.every((d) => d.kind === 'bin' && d.zone === 'zone-3')).toBe(true);
    const expectedTotal = Array.from({ length: 10_000 }, (_, i) => i).filter(
      (i) => ![3, 10, 11].includes(i) && i % 5 === 0 && i % 7 === 3,
    ).length;
    expect(bins.total).toBe(expectedTotal);
    const next = await repository.list({ kind: 'bin', zone: 'zone-3', limit: 5, offset: 5 });
    expect(next.items[0]!.deviceId > bins.items[4]!.deviceId).toBe(true);
    const past = await repository.list({ limit: 10, offset: 50_000 });
    expect(past).toEqual({ items: [], total: 9_998 });
  });

  it('revoke and secret rotation bump the revision, and the credential sync returns them after the cursor', async () => {
    const full = await service.credentials(undefined);
    expect(full.full).toBe(true);
    expect(full.devices).toHaveLength(9_998);
    expect(full.devices.find((d) => d.deviceId === 'imp-00100')).toMatchObject({ kind: 'bin', revoked: false });

    const unchanged = await service.credentials(full.cursor);
    expect(unchanged).toEqual({ cursor: full.cursor, full: false, devices: [] });

    const revoked = await service.revoke('imp-00100');
    expect(revoked.status).toBe('revoked');
    const { secret } = await service.rotateSecret('imp-00200');
    const delta = await service.credentials(full.cursor);
    expect(delta.full).toBe(false);
    expect(delta.devices.map((d) => d.deviceId)).toEqual(['imp-00100', 'imp-00200']);
    expect(delta.devices[0]!.revoked).toBe(true);
    expect(verifyDeviceSecret(secret, delta.devices[1]!.secretHash)).toBe(true);
    expect(BigInt(delta.cursor) > BigInt(full.cursor)).toBe(true);

    await service.register({ id: 'late-1', kind: 'septic', name: 'Tank', lat: 1, lon: 2 });
    const after = await service.credentials(delta.cursor);
    expect(after.devices.map((d) => d.deviceId)).toEqual(['late-1']);

    await expect(service.revoke('no-such-device')).rejects.toMatchObject({ code: DevicesExceptionCode.DEVICE_NOT_FOUND });
    await expect(service.credentials('abc')).rejects.toMatchObject({ code: DevicesExceptionCode.INVALID_CURSOR });
  });

  it('writes a batch of sightings in one statement and never moves last_seen_at back', async () => {
    const t1 = new Date('2026-01-01T10:00:00.000Z');
    const t0 = new Date('2026-01-01T09:00:00.000Z');
    await repository.touchLastSeen(new Map([['imp-00001', t1], ['imp-00002', t1], ['unknown-device', t1]]));
    await repository.touchLastSeen(new Map([['imp-00001', t0]]));
    expect((await repository.findById('imp-00001'))!.lastSeenAt).toBe(t1.toISOString());
    expect((await repository.findById('imp-00002'))!.lastSeenAt).toBe(t1.toISOString());
  });

  it('migrations are idempotent and safe when two instances migrate at once', async () => {
    expect(await migrate(db)).toEqual([]);
    const fresh = await factory.open();
    const second = await factory.openSecond();
    const [a, b] = await Promise.all([migrate(fresh), migrate(second)]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
    const rows = await fresh.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(second)).toEqual([]);
  });
});
