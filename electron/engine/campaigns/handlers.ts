/** The engine's answers to the channels of shared/campaigns.ts, joined into electron/engine/handlers/. */
import type { campaignChannels } from '../../../shared/campaigns';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';
import { exportCallLists } from './call-list-export';
import { universalControlJob } from './control-group';
import { evaluateCampaignJob } from './evaluation';
import { nextWave } from './next-wave';
import { planCampaign } from './plan';
import { campaignDetail, campaignMembers, listCampaigns } from './queries';
import { importResponses } from './responses';

type Channel = keyof typeof campaignChannels;

export const campaignQueryHandlers: QueryHandlersFor<Channel> = {
  'campaigns.list': (ctx) => listCampaigns(ctx.db()),
  'campaigns.detail': (ctx, request) => campaignDetail(ctx.db(), request.campaignId),
  'campaigns.members': (ctx, request) => campaignMembers(ctx.db(), request),
};

export const campaignJobHandlers: JobHandlersFor<Channel> = {
  'campaigns.preview': (ctx, request) => planCampaign(ctx, request, { write: false }),
  'campaigns.create': (ctx, request) => planCampaign(ctx, request, { write: true }),
  'campaigns.export': (ctx, request) => exportCallLists(ctx, request),
  'campaigns.importResponses': (ctx, request) => importResponses(ctx, request),
  'campaigns.evaluate': (ctx, request) => evaluateCampaignJob(ctx, request.campaignId),
  'campaigns.nextWave': (ctx, request) => nextWave(ctx, request),
  'campaigns.controlGroup': (ctx, request) => universalControlJob(ctx, request),
};
