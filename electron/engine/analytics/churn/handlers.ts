/** The engine's answers to the churn channels of shared/churn.ts, joined into electron/engine/handlers/. */
import type { churnChannels } from '../../../../shared/churn';
import type { QueryHandlersFor } from '../../handlers/types';
import { lostList } from './lost-list';
import { churnOverview } from './scoring-overview';

type Channel = keyof typeof churnChannels;

export const churnQueryHandlers: QueryHandlersFor<Channel> = {
  'churn.summary': (ctx) => churnOverview(ctx.db()),
  'churn.lostList': (ctx, request) => lostList(ctx.db(), request),
};
