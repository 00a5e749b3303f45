import type { Job, Paged } from '@sanitation/contracts';
import { ProvisionClient } from '../provision/provision.client.js';
import { SimError } from '../shared/sim.exception.js';
import { orderStops, type AssignedStop, type TruckJobSource } from './assigned-stops.js';

export interface ServerJobsOptions {
  serverUrl: string;
  adminUser: string;
  adminPassword: string;
  /** Collection trucks whose jobs to follow → their driver's account (posts the field progress). */
  drivers: Map<string, string>;
  /** The drivers' password; without one the progress is posted with the admin login. */
  crewPassword?: string;
  /** Sim ms per real ms. */
  speed: number;
  /** Sim ms between polls; real time between polls is at least `minPollRealMs`. */
  pollSimMs: number;
  minPollRealMs: number;
  log?: (msg: string) => void;
}

const OPEN_WORK = 'assigned,en_route,on_site';
const REQUEST_TIMEOUT_MS = 15_000;
const PAGE = 1000;

/**
 * The trucks' assignments as the server has them: polls the open collection jobs, keeps each
 * truck's in serving order for the world (read synchronously), and posts the drivers' progress
 * (en_route, on_site) in the order the trucks made it. Errors are logged and retried next poll.
 */
export class ServerJobsSource implements TruckJobSource {
  private stops = new Map<string, AssignedStop[]>();
  private assignedBins = new Set<string>();
  private readonly admin: ProvisionClient;
  private readonly driverClients = new Map<string, Promise<ProvisionClient>>();
  /** One chain of progress posts per truck, so on_site never overtakes en_route. */
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private loggedIn = false;
  private stopped = false;
  private lastError = '';
  /** Completed polls (for tests and the log). */
  polls = 0;

  constructor(private readonly opts: ServerJobsOptions) {
    this.admin = new ProvisionClient(opts.serverUrl, REQUEST_TIMEOUT_MS);
  }

  get periodMs(): number {
    return Math.max(this.opts.minPollRealMs, this.opts.pollSimMs / this.opts.speed);
  }

  start(): void {
    // Drivers log in up front: a login (password hashing) takes long enough at high speed for the
    // truck to reach the bin, and the job to close, before its first en_route would arrive.
    for (const truckId of this.opts.drivers.keys()) this.driver(truckId).catch(() => undefined);
    const loop = async () => {
      if (this.stopped) return;
      this.polling = this.pollOnce();
      await this.polling;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.periodMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.chains.values());
  }

  stopsFor(truckId: string): readonly AssignedStop[] {
    return this.stops.get(truckId) ?? [];
  }

  isAssigned(binId: string): boolean {
    return this.assignedBins.has(binId);
  }

  onProgress(truckId: string, jobId: string, status: 'en_route' | 'on_site', t: number): void {
    const stop = this.stops.get(truckId)?.find((s) => s.jobId === jobId);
    if (stop) stop.status = status;
    const prev = this.chains.get(truckId) ?? Promise.resolve();
    const next = prev.then(() => this.post(truckId, jobId, status, t));
    this.chains.set(truckId, next);
  }

  /** One poll: every open collection job assigned to one of our trucks (all pages). */
  async pollOnce(): Promise<void> {
    try {
      if (!this.loggedIn) {
        await this.admin.login(this.opts.adminUser, this.opts.adminPassword);
        this.loggedIn = true;
      }
      const jobs: Job[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const q = new URLSearchParams({ type: 'collection', status: OPEN_WORK, limit: String(PAGE), offset: String(offset) });
        const page = await this.admin.call<Paged<Job>>('GET', `/api/jobs?${q}`);
        jobs.push(...page.items);
        if (page.items.length < PAGE || jobs.length >= page.total) break;
      }
      const byTruck = new Map<string, Job[]>();
      for (const j of jobs) {
        const unit = j.assignee?.unitType === 'vehicle' ? j.assignee.unitId : null;
        if (!unit || !this.opts.drivers.has(unit)) continue;
        byTruck.set(unit, [...(byTruck.get(unit) ?? []), j]);
      }
      const stops = new Map<string, AssignedStop[]>();
      for (const [truck, list] of byTruck) stops.set(truck, orderStops(list));
      for (const truck of new Set([...stops.keys(), ...this.stops.keys()])) {
        const ids = (m: Map<string, AssignedStop[]>) => (m.get(truck) ?? []).map((s) => s.jobId).join(',');
        if (ids(stops) !== ids(this.stops)) this.opts.log?.(`${truck} follows ${stops.get(truck)?.length ?? 0} jobs: ${(stops.get(truck) ?? []).map((s) => `${s.deviceId}${s.seq === null ? '' : `#${s.seq}`}`).join(' ')}`);
      }
      this.stops = stops;
      this.assignedBins = new Set([...stops.values()].flatMap((l) => l.map((s) => s.deviceId)));
      this.polls++;
      this.lastError = '';
    } catch (err) {
      if (/HTTP 401/.test(String(err))) this.loggedIn = false;
      this.warn(`polling the trucks' jobs failed: ${(err as Error).message}`);
    }
  }

  private async post(truckId: string, jobId: string, status: 'en_route' | 'on_site', t: number): Promise<void> {
    try {
      const client = await this.driver(truckId);
      await client.call('POST', `/api/jobs/${encodeURIComponent(jobId)}/transition`, { status });
    } catch (err) {
      // 409: the job moved on without us (closed on proof, reassigned): nothing to tell.
      if (err instanceof SimError && /HTTP 409/.test(err.message)) return;
      if (/HTTP 401/.test(String(err))) this.driverClients.delete(truckId);
      this.warn(`${truckId}: ${status} for job ${jobId} at ${new Date(t).toISOString()} not posted: ${(err as Error).message}`);
    }
  }

  /** The driver's logged-in client (the admin's when the drivers have no password). */
  private driver(truckId: string): Promise<ProvisionClient> {
    const username = this.opts.drivers.get(truckId);
    if (!this.opts.crewPassword || !username) {
      return this.loggedIn ? Promise.resolve(this.admin) : this.admin.login(this.opts.adminUser, this.opts.adminPassword).then(() => ((this.loggedIn = true), this.admin));
    }
    let client = this.driverClients.get(truckId);
    if (!client) {
      const c = new ProvisionClient(this.opts.serverUrl, REQUEST_TIMEOUT_MS);
      client = c.login(username, this.opts.crewPassword).then(() => c);
      client.catch(() => this.driverClients.delete(truckId));
      this.driverClients.set(truckId, client);
    }
    return client;
  }

  /** Logs a failure once until it changes (a server down for a while is one line, not one per poll). */
  private warn(msg: string): void {
    const key = msg.replace(/job \S+ at \S+/, '');
    if (key === this.lastError) return;
    this.lastError = key;
    this.opts.log?.(msg);
  }
}
