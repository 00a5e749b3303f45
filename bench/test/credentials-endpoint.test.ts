import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialSyncResponse } from '@sanitation/contracts';
import { verifyDeviceSecret } from '@sanitation/contracts/credentials';
import { startCredentialsEndpoint } from '../ingest/credentials-endpoint.mjs';

describe('stand-in credential sync endpoint', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('serves the fleet as a full CredentialSyncResponse behind the bearer token, then empty deltas', async () => {
    const devices = [
      { id: 'bench-bin-0001', password: 'first-secret' },
      { id: 'bench-bin-0002', password: 'second-secret' },
    ];
    const endpoint = await startCredentialsEndpoint({ token: 'internal-token-123456', devices });
    close = endpoint.close;
    const url = `${endpoint.url}/api/internal/credentials`;

    expect((await fetch(`${url}?since=`)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

    const auth = { headers: { authorization: 'Bearer internal-token-123456' } };
    const full = (await (await fetch(`${url}?since=`, auth)).json()) as CredentialSyncResponse;
    expect(full.full).toBe(true);
    expect(full.devices.map((d) => [d.deviceId, d.kind, d.revoked])).toEqual([
      ['bench-bin-0001', 'bin', false],
      ['bench-bin-0002', 'bin', false],
    ]);
    expect(verifyDeviceSecret('first-secret', full.devices[0]!.secretHash)).toBe(true);
    expect(verifyDeviceSecret('second-secret', full.devices[0]!.secretHash)).toBe(false);

    const delta = (await (await fetch(`${url}?since=${full.cursor}`, auth)).json()) as CredentialSyncResponse;
    expect(delta).toEqual({ cursor: full.cursor, full: false, devices: [] });
    expect(endpoint.fullSyncs()).toBe(1);
  });
});
