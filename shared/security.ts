/**
 * Hardening (issue #15): encrypted workspaces, backup and restore, the audit chain. The channels and
 * settings of these workspace-level services.
 */
import { z } from 'zod';

export const securitySettingsSchema = z.strictObject({});

export const securityChannels = {} as const;
