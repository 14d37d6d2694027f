import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import en from './en';
import zhCN from './zh-CN';

export type AppLocale = 'zh-CN' | 'en';
export const LOCALES: readonly AppLocale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'bpw.locale';

function initialLocale(): AppLocale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // storage unavailable: fall back to the default
  }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

export const currentLocale = computed<AppLocale>(() => i18n.global.locale.value as AppLocale);

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted; the workspace setting still is
  }
}
