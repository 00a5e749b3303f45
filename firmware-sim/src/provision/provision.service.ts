import type { City } from '../city/city.types.js';
import { cityToBasemap, cityToDeviceImport } from '../city/city-geojson.exporter.js';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';
import { loadCredentials, saveCredentials, type CredentialsFile } from './credentials.store.js';
import { ProvisionClient } from './provision.client.js';

export interface ProvisionOptions {
  serverUrl: string;
  adminUser: string;
  adminPassword: string;
  credentialsFile: string;
  log?: (msg: string) => void;
}

export interface ProvisionResult {
  secrets: Map<string, string>;
  imported: number;
  rotated: number;
  reused: number;
  /** Devices the server refused (they will not run). */
  failed: { deviceId: string; error: string }[];
}

const IMPORT_CHUNK = 5_000; // well under MAX_IMPORT_FEATURES (contracts), and a modest request body

/**
 * Makes every city device known to the server with a secret we hold: import what the server lacks,
 * rotate the secret of devices the server has but we have no secret for, reuse the rest.
 */
export async function provisionFleet(city: City, opts: ProvisionOptions): Promise<ProvisionResult> {
  const log = opts.log ?? (() => {});
  const stored = await loadCredentials(opts.credentialsFile);
  const secrets = new Map<string, string>(stored && stored.server === opts.serverUrl ? Object.entries(stored.secrets) : []);
  if (stored && stored.server !== opts.serverUrl) log(`credentials file was for ${stored.server}; provisioning afresh for ${opts.serverUrl}`);
  const client = new ProvisionClient(opts.serverUrl);
  await client.login(opts.adminUser, opts.adminPassword);

  // The dashboard draws the city from this (no map tiles from outside); replaced on every run.
  const basemap = cityToBasemap(city);
  if ((await client.putBasemap(basemap)) === 'stored') log(`base map uploaded (${basemap.features.length} features)`);
  else log('the server has no PUT /api/map/basemap: the dashboard map will show no streets or zones');

  const onServer = await client.listDeviceIds();
  const ids = city.devices.map((d) => d.id);
  // Import what the server does not have (all unknown ones if it cannot list).
  const toImport = ids.filter((id) => (onServer ? !onServer.has(id) : !secrets.has(id)));
  const toRotate = new Set(ids.filter((id) => onServer?.has(id) && !secrets.has(id)));
  const failed: ProvisionResult['failed'] = [];
  let imported = 0;
  for (let i = 0; i < toImport.length; i += IMPORT_CHUNK) {
    const chunk = toImport.slice(i, i + IMPORT_CHUNK);
    const body = cityToDeviceImport(city, new Set(chunk));
    const res = await client.importDevices(body);
    for (const c of res.created ?? []) {
      secrets.set(c.deviceId, c.secret);
      imported++;
    }
    for (const e of res.errors ?? []) {
      const deviceId = e.deviceId ?? body.features[e.index]?.properties.id;
      if (!deviceId) continue;
      // Already registered (e.g. listing unavailable, or a race): take it over with a fresh secret.
      if (/exist|duplicate|conflict|already/i.test(e.error)) toRotate.add(deviceId);
      else failed.push({ deviceId, error: e.error });
    }
    log(`imported ${imported}/${toImport.length} devices`);
  }
  let rotated = 0;
  for (const id of toRotate) {
    const res = await client.rotateSecret(id);
    secrets.set(id, res.secret);
    rotated++;
  }
  if (rotated > 0) log(`rotated secrets of ${rotated} devices registered earlier without a known secret`);
  const file: CredentialsFile = { version: 1, server: opts.serverUrl, seed: city.seed, devices: city.devices.length, secrets: Object.fromEntries(secrets) };
  await saveCredentials(opts.credentialsFile, file);
  const missing = ids.filter((id) => !secrets.has(id) && !failed.some((f) => f.deviceId === id));
  if (missing.length > 0) throw new SimError(SimErrorCode.ProvisioningFailed, `no secret for ${missing.length} devices (e.g. ${missing[0]})`);
  return { secrets, imported, rotated, reused: ids.length - imported - rotated - failed.length, failed };
}
