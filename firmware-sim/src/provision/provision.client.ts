import type { Basemap, Device, DeviceImportRequest, DeviceImportResponse, LoginResponse } from '@sanitation/contracts';
import { SimError, SimErrorCode } from '../shared/sim.exception.js';

/** Thin HTTP client for the server API the simulator needs (Node's fetch, bearer token). */
export class ProvisionClient {
  private token: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 120_000,
  ) {}

  async login(username: string, password: string): Promise<LoginResponse> {
    const res = await this.request<LoginResponse>('POST', '/api/auth/login', { username, password }, false);
    if (typeof res?.token !== 'string') throw new SimError(SimErrorCode.ProvisioningFailed, 'login answered without a token');
    this.token = res.token;
    return res;
  }

  importDevices(body: DeviceImportRequest): Promise<DeviceImportResponse> {
    return this.request<DeviceImportResponse>('POST', '/api/devices/import', body);
  }

  rotateSecret(deviceId: string): Promise<{ deviceId: string; secret: string }> {
    return this.request('POST', `/api/devices/${encodeURIComponent(deviceId)}/secret`, undefined);
  }

  /** Replaces the dashboard's base map: `stored`, or `unsupported` on a server without the route (404/405). */
  async putBasemap(body: Basemap): Promise<'stored' | 'unsupported'> {
    try {
      await this.request('PUT', '/api/map/basemap', body);
      return 'stored';
    } catch (err) {
      if (err instanceof SimError && /HTTP 40[45]\b/.test(err.message)) return 'unsupported';
      throw err;
    }
  }

  /**
   * Creates a resource that may already exist: `created` (2xx), `exists` (409) or `unsupported`
   * (404/405: a server without this route). Anything else is an error naming the route.
   */
  async createIfAbsent(path: string, body: unknown): Promise<'created' | 'exists' | 'unsupported'> {
    try {
      await this.request('POST', path, body);
      return 'created';
    } catch (err) {
      const status = err instanceof SimError ? /HTTP (\d{3})/.exec(err.message)?.[1] : undefined;
      if (status === '409') return 'exists';
      if (status === '404' || status === '405') return 'unsupported';
      throw err;
    }
  }

  /** Every device id the server knows (paged), or null if the server has no list route. */
  async listDeviceIds(pageSize = 10_000): Promise<Set<string> | null> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += pageSize) {
      let page: { items: Device[]; total: number };
      try {
        page = await this.request('GET', `/api/devices?limit=${pageSize}&offset=${offset}`, undefined);
      } catch (err) {
        if (err instanceof SimError && /HTTP 404/.test(err.message)) return null;
        throw err;
      }
      for (const d of page.items ?? []) ids.add(d.deviceId);
      if (!page.items?.length || offset + page.items.length >= page.total) return ids;
    }
  }

  /** Any other call of the API with this client's login (e.g. the trucks' jobs). */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new SimError(SimErrorCode.ProvisioningFailed, `${method} ${path}: server ${this.baseUrl} unreachable (${(err as Error).message})`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new SimError(SimErrorCode.ProvisioningFailed, `${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    if (res.status === 204) return undefined as T; // no content (e.g. PUT /api/map/basemap)
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SimError(SimErrorCode.ProvisioningFailed, `${method} ${path}: answer is not JSON`);
    }
  }
}
