/** The engine's answers to the channels of shared/matching.ts, joined into electron/engine/handlers/. */
import type { matchingChannels } from '../../../shared/matching';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';

type Channel = keyof typeof matchingChannels;

export const matchingQueryHandlers: QueryHandlersFor<Channel> = {};

export const matchingJobHandlers: JobHandlersFor<Channel> = {};
