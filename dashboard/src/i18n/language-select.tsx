import { useStore } from '../state/store';
import { LOCALES, locale, setLocale, useT, type Locale } from './i18n';

/** The language switch of the header and the login page; the choice is remembered. */
export function LanguageSelect() {
  const t = useT('common');
  const lng = useStore(locale);
  return (
    <select aria-label={t('language')} value={lng} data-testid="language" onChange={(e) => void setLocale((e.target as HTMLSelectElement).value as Locale)}>
      {LOCALES.map((l) => (
        <option key={l} value={l}>
          {l === 'zh-CN' ? '中文' : 'English'}
        </option>
      ))}
    </select>
  );
}
