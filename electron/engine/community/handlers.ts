/** The engine's answers to the channels of shared/community.ts, joined into electron/engine/handlers/. */
import type { communityChannels } from '../../../shared/community';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';

type Channel = keyof typeof communityChannels;

export const communityQueryHandlers: QueryHandlersFor<Channel> = {};

export const communityJobHandlers: JobHandlersFor<Channel> = {};
