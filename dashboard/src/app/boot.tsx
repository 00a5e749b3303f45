import { render } from 'preact';
import { App } from './app';
import type { UiConfig } from '@sanitation/contracts';
import { initI18n } from '../i18n/i18n';
import '../state/dispatch.stores';
import '../styles/app.css';

/** Starts the app with the config the entry module requested (it has also started the map's downloads). */
export async function boot(configP: Promise<UiConfig>): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const config = await configP;
    await initI18n(config.defaultLocale);
    render(<App />, root);
  } catch (err) {
    root.textContent = `The dashboard could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}
