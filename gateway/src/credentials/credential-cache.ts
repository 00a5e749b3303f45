import type { CredentialSyncResponse, DeviceCredential } from '@sanitation/contracts';
import { credentialSyncResponseSchema } from '@sanitation/contracts';
import type { Logger } from 'pino';
import { GatewayErrorCode, GatewayException } from '../gateway.exception.js';

export interface CredentialCacheOptions {
  serverUrl: string;
  internalToken: string;
  intervalMs: number;
  logger: Logger;
  /** Called with device ids whose access ended (revoked, removed, or secret changed). */
  onRevoked?: (deviceIds: string[]) => void;
  fetchImpl?: typeof fetch;
}

/**
 * In-memory mirror of the server's device credentials, refreshed by polling
 * `GET {SERVER_URL}/api/internal/credentials?since=<cursor>`. When the server is unreachable the
 * last known cache stays in force and polling continues (logged once per outage).
 */
export class CredentialCache {
  private devices = new Map<string, DeviceCredential>();
  private cursor: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failing = false;
  private inFlight: Promise<void> | null = null;
  /** True once one sync succeeded; before that nobody can be authenticated. */
  synced = false;
  lastError: string | null = null;

  constructor(private readonly opts: CredentialCacheOptions) {}

  get(deviceId: string): DeviceCredential | undefined {
    return this.devices.get(deviceId);
  }

  get size(): number {
    return this.devices.size;
  }

  /** Starts polling; resolves after the first attempt (successful or not). */
  async start(): Promise<void> {
    await this.syncNow();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.syncNow().finally(() => this.schedule());
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** One poll; concurrent callers share it. */
  syncNow(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async poll(): Promise<void> {
    const url = new URL(`${this.opts.serverUrl}/api/internal/credentials`);
    if (this.cursor !== null) url.searchParams.set('since', this.cursor);
    try {
      const res = await (this.opts.fetchImpl ?? fetch)(url, {
        headers: { authorization: `Bearer ${this.opts.internalToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(Math.max(2000, this.opts.intervalMs * 5)),
      });
      if (!res.ok) throw new GatewayException(GatewayErrorCode.CREDENTIAL_SYNC_FAILED, `credential sync: HTTP ${res.status}`);
      this.apply(validateSyncResponse(await res.json()));
      if (this.failing) this.opts.logger.info('credential sync recovered');
      this.failing = false;
      this.lastError = null;
      this.synced = true;
    } catch (err) {
      this.lastError = (err as Error).message;
      if (!this.failing) {
        this.opts.logger.warn({ err: this.lastError, devices: this.devices.size }, 'credential sync failed; keeping the last cache and retrying');
      }
      this.failing = true;
    }
  }

  private apply(response: CredentialSyncResponse): void {
    const ended: string[] = [];
    if (response.full) {
      const next = new Map<string, DeviceCredential>();
      for (const d of response.devices) next.set(d.deviceId, d);
      for (const [id, old] of this.devices) if (accessEnded(old, next.get(id))) ended.push(id);
      this.devices = next;
    } else {
      for (const d of response.devices) {
        const old = this.devices.get(d.deviceId);
        if (old && accessEnded(old, d)) ended.push(d.deviceId);
        this.devices.set(d.deviceId, d);
      }
    }
    this.cursor = response.cursor;
    if (ended.length > 0) this.opts.onRevoked?.(ended);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** The server is another process: check its answer's shape instead of trusting it. */
function validateSyncResponse(body: unknown): CredentialSyncResponse {
  const parsed = credentialSyncResponseSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new GatewayException(GatewayErrorCode.CREDENTIAL_SYNC_FAILED, `credential sync: malformed response at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Revoked since, removed, or secret rotated: the live connection must go. */
function accessEnded(old: DeviceCredential, now: DeviceCredential | undefined): boolean {
  return !now || (now.revoked && !old.revoked) || now.secretHash !== old.secretHash;
}
