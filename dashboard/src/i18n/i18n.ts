import i18next, { type TFunction } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { Store } from '../state/store';

/**
 * All visible text lives in src/locales/<lang>/<namespace>.json (one namespace per feature, so
 * features never edit each other's files). Chinese is the default; the choice is remembered.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'sanitation.locale';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Builds { 'zh-CN': { jobs: {...} }, en: {...} } from the eagerly bundled JSON files. */
export function resourcesFrom(files: Record<string, { default: Record<string, unknown> } | Record<string, unknown>>): Resources {
  const resources: Resources = {};
  for (const [path, mod] of Object.entries(files)) {
    const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, lang, ns] = match as unknown as [string, string, string];
    const data = ('default' in mod ? mod.default : mod) as Record<string, unknown>;
    (resources[lang] ??= {})[ns] = data;
  }
  return resources;
}

const files = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true });

export const locale = new Store<Locale>('zh-CN');

function storedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return (LOCALES as readonly string[]).includes(v ?? '') ? (v as Locale) : null;
  } catch {
    return null;
  }
}

export async function initI18n(defaultLocale: Locale = 'zh-CN'): Promise<void> {
  const lng = storedLocale() ?? defaultLocale;
  const resources = resourcesFrom(files);
  await i18next.init({
    lng,
    fallbackLng: 'en',
    resources,
    ns: Object.keys(resources['en'] ?? resources['zh-CN'] ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // Preact escapes
    returnNull: false,
  });
  locale.set(lng);
  document.documentElement.lang = lng;
}

export async function setLocale(lng: Locale): Promise<void> {
  await i18next.changeLanguage(lng);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lng;
  locale.set(lng);
}

/** `const t = useT('jobs'); t('queue.title')` — re-renders when the language changes. */
export function useT(ns: string): TFunction {
  const [, setLng] = useState(locale.get());
  useEffect(() => locale.subscribe(setLng), []);
  return i18next.getFixedT(null, ns);
}

/** For plain modules (not components): translate with the current language. */
export function translate(ns: string, key: string, options?: Record<string, unknown>): string {
  return i18next.t(key, { ns, ...options }) as string;
}
