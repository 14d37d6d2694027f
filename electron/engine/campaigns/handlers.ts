/** The engine's answers to the channels of shared/campaigns.ts, joined into electron/engine/handlers/. */
import type { campaignChannels } from '../../../shared/campaigns';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';

type Channel = keyof typeof campaignChannels;

export const campaignQueryHandlers: QueryHandlersFor<Channel> = {};

export const campaignJobHandlers: JobHandlersFor<Channel> = {};
