import type { Alarm, Paged } from '@sanitation/contracts';
import { api } from '../../api/http';
import { alarms } from '../../state/dispatch.stores';

const PAGE = 500;
const MAX_PAGES = 20;

/** Loads unresolved alarms (or those matching `query`) page by page into the store. */
export async function loadAlarms(query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<Alarm[]> {
  const all: Alarm[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.get<Paged<Alarm>>('/alarms', { status: 'open,acknowledged', ...query, limit: PAGE, offset: page * PAGE }, signal);
    all.push(...res.items);
    if (res.items.length < PAGE || all.length >= res.total) break;
  }
  alarms.upsert(all);
  return all;
}

async function action(alarmId: string, path: 'ack' | 'resolve', body: unknown): Promise<Alarm> {
  const alarm = await api.post<Alarm>(`/alarms/${encodeURIComponent(alarmId)}/${path}`, body);
  alarms.upsert([alarm]);
  return alarm;
}

export const acknowledgeAlarm = (alarmId: string, note?: string) => action(alarmId, 'ack', note ? { note } : {});
export const resolveAlarm = (alarmId: string, note: string) => action(alarmId, 'resolve', { note });
