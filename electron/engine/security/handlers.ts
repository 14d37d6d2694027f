/** The engine's answers to the channels of shared/security.ts, joined into electron/engine/handlers/. */
import type { securityChannels } from '../../../shared/security';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';

type Channel = keyof typeof securityChannels;

export const securityQueryHandlers: QueryHandlersFor<Channel> = {};

export const securityJobHandlers: JobHandlersFor<Channel> = {};
