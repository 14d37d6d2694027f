/**
 * Security of the open workspace as the screens show it: encrypted or not, the last backup and whether the
 * reminder is due (security.status), and this computer's policy (app.securityPolicy).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SecurityPolicy, SecurityStatus } from '../../../shared/security';
import { call } from '../services/workbench';

export const useSecurityStore = defineStore('security', () => {
  const status = ref<SecurityStatus | null>(null);
  const policy = ref<SecurityPolicy>({ requireEncryption: false });

  async function loadStatus(): Promise<SecurityStatus | null> {
    status.value = await call('security.status', {}, { silent: true }).catch(() => null);
    return status.value;
  }

  async function loadPolicy(): Promise<SecurityPolicy> {
    policy.value = await call('app.securityPolicy', {}, { silent: true }).catch(() => ({ requireEncryption: false }));
    return policy.value;
  }

  async function setPolicy(next: SecurityPolicy): Promise<void> {
    policy.value = await call('app.setSecurityPolicy', next);
  }

  function clear(): void {
    status.value = null;
  }

  return { status, policy, loadStatus, loadPolicy, setPolicy, clear };
});
