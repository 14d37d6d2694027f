/**
 * Asks the analyst for a passphrase through the one PassphraseDialog mounted in App.vue. The store holds
 * only the question; the answer goes straight back to the caller and is never kept (issue #15 §2: the
 * passphrase never touches disk, and neither the store nor the dialog outlives the question).
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';

/** unlock: open an encrypted workspace; create: a new one; encrypt / rekey: the open one; backup: a backup's own. */
export type PassphraseMode = 'unlock' | 'create' | 'encrypt' | 'rekey' | 'backup';

export interface PassphraseQuestion {
  mode: PassphraseMode;
  /** The file the passphrase is for, as the dialog names it. */
  name: string;
  /** For `create`: asked because this computer's policy requires encryption (the dialog says so). */
  required?: boolean;
  /** Shown under the fields: the previous answer was wrong. */
  error?: string;
}

export interface PassphraseAnswer {
  /** unlock, backup and rekey: the current passphrase; create and encrypt: the new one. */
  passphrase?: string;
  /** rekey: the new passphrase. */
  newPassphrase?: string;
}

export const usePassphrasePrompt = defineStore('passphrase-prompt', () => {
  const question = shallowRef<PassphraseQuestion | null>(null);
  let settle: ((answer: PassphraseAnswer | null) => void) | null = null;

  /** Resolves with the answer, or null when the analyst cancels. */
  function ask(next: PassphraseQuestion): Promise<PassphraseAnswer | null> {
    settle?.(null);
    question.value = next;
    return new Promise((resolve) => {
      settle = resolve;
    });
  }

  function answer(value: PassphraseAnswer | null): void {
    const resolve = settle;
    settle = null;
    question.value = null;
    resolve?.(value);
  }

  return { question, ask, answer };
});
