import { render } from 'preact';
import { App } from './app/app';
import { loadUiConfig } from './app/ui-config';
import { initI18n } from './i18n/i18n';
import './state/dispatch.stores';
import './styles/app.css';

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const config = await loadUiConfig();
    await initI18n(config.defaultLocale);
    render(<App />, root);
  } catch (err) {
    root.textContent = `The dashboard could not start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

void boot();
