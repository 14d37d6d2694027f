/** The engine's answers to the channels of shared/community.ts, joined into electron/engine/handlers/. */
import type { communityChannels } from '../../../shared/community';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';
import { campaignOptions, deleteActivity, listActivities, saveActivity } from './activities';
import { analyzeCommunities } from './analyze-job';
import { planActivities } from './plan-job';
import { communityPortrait } from './portrait';
import { rankCommunities } from './ranking';
import { communityRollup } from './rollups';

type Channel = keyof typeof communityChannels;

export const communityQueryHandlers: QueryHandlersFor<Channel> = {
  'community.rank': (ctx, request) => rankCommunities(ctx.db(), request.runId),
  'community.portrait': (ctx, request) => communityPortrait(ctx.db(), request.communityId, { runId: request.runId }),
  'community.rollup': (ctx, request) => communityRollup(ctx.db(), request.scope, request.month),
  'community.activities': (ctx, request) => listActivities(ctx.db(), request),
  'community.saveActivity': (ctx, request) => saveActivity(ctx.db(), request),
  'community.deleteActivity': (ctx, request) => deleteActivity(ctx.db(), request.activityId),
  'community.campaigns': (ctx) => campaignOptions(ctx.db()),
};

export const communityJobHandlers: JobHandlersFor<Channel> = {
  'community.analyze': (ctx, request) => analyzeCommunities(ctx, request),
  'community.plan': (ctx, request) => planActivities(ctx, request),
};
