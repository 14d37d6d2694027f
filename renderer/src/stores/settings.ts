/** Settings of the open workspace (DESIGN.md §4 thresholds, masking) and the interface language. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../../shared/settings';
import { currentLocale, setLocale, type AppLocale } from '../i18n';
import { call } from '../services/workbench';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);

  async function load(): Promise<void> {
    try {
      settings.value = await call('settings.get', {}, { silent: true });
    } catch {
      settings.value = null;
      return;
    }
    // A workspace saved in English opens in English; the default (Chinese) keeps the language in use.
    if (settings.value.locale === 'en' && currentLocale.value !== 'en') setLocale('en');
  }

  function clear(): void {
    settings.value = null;
  }

  async function save(patch: Partial<Settings>): Promise<Settings> {
    const next = await call('settings.set', { patch });
    settings.value = next;
    return next;
  }

  /** Switches the language at once; persisted in the workspace when one is open. */
  async function setLanguage(locale: AppLocale): Promise<void> {
    setLocale(locale);
    if (settings.value && settings.value.locale !== locale) await save({ locale });
  }

  return { settings, load, clear, save, setLanguage };
});
