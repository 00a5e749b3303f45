// Stand-in for the server's credential sync (`GET /api/internal/credentials?since=`), so the
// ingest benchmark needs no server: it serves a fixed fleet as a CredentialSyncResponse
// (contracts/src/api/devices.ts) behind the bearer INTERNAL_TOKEN.
import http from 'node:http';
import { hashDeviceSecret } from '@sanitation/contracts/credentials';

const CURSOR = '1';

/**
 * @param {{ token: string, devices: { id: string, password: string, kind?: string, zone?: string | null }[] }} opts
 * @returns {Promise<{ url: string, polls: () => number, fullSyncs: () => number, close: () => Promise<void> }>}
 */
export async function startCredentialsEndpoint({ token, devices }) {
  /** @type {import('@sanitation/contracts').CredentialSyncResponse} */
  const full = {
    cursor: CURSOR,
    full: true,
    devices: devices.map((d) => ({
      deviceId: d.id,
      kind: /** @type {any} */ (d.kind ?? 'bin'),
      zone: d.zone ?? null,
      secretHash: hashDeviceSecret(d.password),
      revoked: false,
    })),
  };
  const fullBody = JSON.stringify(full);
  const emptyBody = JSON.stringify({ cursor: CURSOR, full: false, devices: [] });
  let polls = 0;
  let fullSyncs = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/api/internal/credentials') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad internal token"}');
      return;
    }
    polls++;
    // Nothing changes during a run: a gateway that already has cursor 1 gets an empty delta.
    const body = url.searchParams.get('since') === CURSOR ? emptyBody : fullBody;
    if (body === fullBody) fullSyncs++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    polls: () => polls,
    fullSyncs: () => fullSyncs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
