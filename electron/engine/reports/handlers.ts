/** The engine's answers to the channels of shared/reports.ts, joined into electron/engine/handlers/. */
import type { reportChannels } from '../../../shared/reports';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';

type Channel = keyof typeof reportChannels;

export const reportQueryHandlers: QueryHandlersFor<Channel> = {};

export const reportJobHandlers: JobHandlersFor<Channel> = {};
