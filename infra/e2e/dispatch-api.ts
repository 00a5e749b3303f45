/** Small typed reads of the dispatch API for the scenario tests. */
import type { Alarm, Job, Paged } from '@sanitation/contracts';

export class DispatchApi {
  constructor(
    readonly serverUrl: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.serverUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  async send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.serverUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  /** Every job matching the filter (all pages). */
  async jobs(filter: Record<string, string> = {}): Promise<Job[]> {
    return this.all<Job>('/api/jobs', filter);
  }

  async alarms(filter: Record<string, string> = {}): Promise<Alarm[]> {
    return this.all<Alarm>('/api/alarms', filter);
  }

  private async all<T>(path: string, filter: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.get<Paged<T> | T[]>(`${path}?${new URLSearchParams({ ...filter, limit: '1000', offset: String(offset) })}`);
      // Lists answer `{items, total}`; a plain array is accepted too (the issue allows both).
      if (Array.isArray(page)) return page;
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  }
}
