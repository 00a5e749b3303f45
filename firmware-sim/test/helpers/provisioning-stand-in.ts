import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { basemapSchema, createOperatorSchema, deviceImportSchema, loginSchema, registerCrewSchema, registerDisposalSiteSchema, registerVehicleSchema } from '@sanitation/contracts';

const UNIT_ROUTES = {
  '/api/vehicles': registerVehicleSchema,
  '/api/crews': registerCrewSchema,
  '/api/disposal-sites': registerDisposalSiteSchema,
  '/api/auth/operators': createOperatorSchema,
} as const;

/**
 * A stand-in for the server's provisioning routes (login, import, rotate, list), speaking the
 * contracts' shapes, until the real server exists. It validates bodies with the contracts schemas.
 */
export class ProvisioningStandIn {
  readonly secrets = new Map<string, string>();
  readonly calls: string[] = [];
  /** Units registered per route (vehicles, crews, disposal sites, operators), by id/username. */
  readonly units = new Map<string, Map<string, unknown>>();
  /** The last base map PUT (validated with the contracts schema). */
  basemap: unknown = null;
  /** Answer 404 on the unit routes, as a server from before dispatch did. */
  unitsUnsupported = false;
  private server: Server | null = null;
  private token = randomBytes(16).toString('hex');
  url = '';

  constructor(private readonly adminPassword: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const path = new URL(req.url ?? '/', 'http://x');
        this.calls.push(`${req.method} ${path.pathname}`);
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
        if (req.method === 'POST' && path.pathname === '/api/auth/login') {
          const login = loginSchema.safeParse(body);
          if (!login.success || login.data.password !== this.adminPassword) return send(401, { message: 'bad credentials' });
          return send(200, { token: this.token, expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { username: 'admin', role: 'admin' } });
        }
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'no token' });
        if (req.method === 'POST' && path.pathname === '/api/devices/import') {
          const parsed = deviceImportSchema.safeParse(body);
          if (!parsed.success) return send(400, { message: parsed.error.issues[0]?.message });
          const created: { deviceId: string; secret: string }[] = [];
          const errors: { index: number; deviceId?: string; error: string }[] = [];
          parsed.data.features.forEach((f, index) => {
            const id = f.properties.id;
            if (this.secrets.has(id)) return errors.push({ index, deviceId: id, error: 'device already exists' });
            const secret = randomBytes(32).toString('base64url');
            this.secrets.set(id, secret);
            created.push({ deviceId: id, secret });
          });
          return send(200, { created, errors });
        }
        if (req.method === 'PUT' && path.pathname === '/api/map/basemap') {
          const parsed = basemapSchema.safeParse(body);
          if (!parsed.success) return send(400, { message: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
          this.basemap = parsed.data;
          res.writeHead(204);
          return res.end();
        }
        const unitSchema = UNIT_ROUTES[path.pathname as keyof typeof UNIT_ROUTES];
        if (req.method === 'POST' && unitSchema && !this.unitsUnsupported) {
          const parsed = unitSchema.safeParse(body);
          if (!parsed.success) return send(400, { message: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
          const key = 'username' in parsed.data ? parsed.data.username : parsed.data.id;
          const store = this.units.get(path.pathname) ?? new Map<string, unknown>();
          this.units.set(path.pathname, store);
          if (store.has(key)) return send(409, { message: `${key} exists` });
          store.set(key, parsed.data);
          return send(201, parsed.data);
        }
        const rotate = /^\/api\/devices\/([^/]+)\/secret$/.exec(path.pathname);
        if (req.method === 'POST' && rotate) {
          const id = decodeURIComponent(rotate[1]!);
          if (!this.secrets.has(id)) return send(404, { message: 'no such device' });
          const secret = randomBytes(32).toString('base64url');
          this.secrets.set(id, secret);
          return send(200, { deviceId: id, secret });
        }
        if (req.method === 'GET' && path.pathname === '/api/devices') {
          const limit = Number(path.searchParams.get('limit') ?? 50);
          const offset = Number(path.searchParams.get('offset') ?? 0);
          const ids = [...this.secrets.keys()];
          return send(200, { items: ids.slice(offset, offset + limit).map((deviceId) => ({ deviceId })), total: ids.length });
        }
        send(404, { message: 'not found' });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
