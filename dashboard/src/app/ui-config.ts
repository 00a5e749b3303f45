import type { UiConfig } from '@sanitation/contracts';
import { api } from '../api/http';

let loaded: UiConfig | null = null;

/** Fetched once at start-up (public route): map library choice, city time zone, default language. */
export async function loadUiConfig(): Promise<UiConfig> {
  loaded = await api.get<UiConfig>('/ui-config');
  return loaded;
}

export function uiConfig(): UiConfig {
  if (!loaded) throw new Error('ui config not loaded yet');
  return loaded;
}
