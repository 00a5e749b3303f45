import { render } from 'preact';
import { App } from './app';
import { loadUiConfig } from './ui-config';
import { initI18n } from '../i18n/i18n';
import { preloadMapLibrary } from '../map/map-adapter';
import '../state/dispatch.stores';
import '../styles/app.css';

/** Starts the app (the entry module has already started the map's data downloads when the ops map will open). */
export async function boot(opensMap: boolean): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const config = await loadUiConfig();
    // The map library (the biggest chunk) right after the config says which one.
    if (opensMap) preloadMapLibrary(config.mapboxToken);
    await initI18n(config.defaultLocale);
    render(<App />, root);
  } catch (err) {
    root.textContent = `The dashboard could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}
