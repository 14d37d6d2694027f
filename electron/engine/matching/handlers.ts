/** The engine's answers to the channels of shared/matching.ts, joined into electron/engine/handlers/. */
import type { matchingChannels } from '../../../shared/matching';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';
import { auditLatestRun } from './audit-job';
import { exportProductList } from './export';
import { customerMatches, matchingOverview, productList } from './queries';
import { scoreMatching } from './score';
import { trainMatching } from './train';

type Channel = keyof typeof matchingChannels;

export const matchingQueryHandlers: QueryHandlersFor<Channel> = {
  'matching.overview': (ctx) => matchingOverview(ctx.db()),
  'matching.productList': (ctx, request) => productList(ctx.db(), request),
  'matching.customer': (ctx, request) => customerMatches(ctx.db(), request.customerId),
};

export const matchingJobHandlers: JobHandlersFor<Channel> = {
  'matching.train': (ctx, request) => trainMatching(ctx, request),
  'matching.score': (ctx, request) => scoreMatching(ctx, request),
  'matching.audit': async (ctx) => auditLatestRun(ctx),
  'matching.export': (ctx, request) => exportProductList(ctx, request),
};
