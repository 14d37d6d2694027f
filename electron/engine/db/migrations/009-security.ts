/**
 * Schema changes of hardening: the audit chain and backups (issue #15). Empty until that work needs tables or columns; reserved so that
 * capabilities built side by side keep distinct schema versions.
 */
export const up = /* sql */ ``;
