/** An analysed 2,000-customer demo branch for the campaign tests, and the engine's campaign jobs on it. */
import { join } from 'node:path';
import { channels, type ParsedRequestOf, type RequestOf } from '../../../shared/api';
import type { CampaignPlan } from '../../../shared/campaigns';
import { exportCallLists } from '../../../electron/engine/campaigns/call-list-export';
import { planCampaign } from '../../../electron/engine/campaigns/plan';
import { standaloneJobContext, type JobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';

export async function analysedDemo(dir: string, customers = 2_000): Promise<string> {
  const path = join(dir, 'campaigns.bpw');
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path, customers, txPerYear: 40 });
  } finally {
    await host.close();
  }
  return path;
}

export function openDemo(path: string): { db: Db; ctx: JobContext } {
  const db = openWorkspace(path);
  return { db, ctx: standaloneJobContext(db) };
}

/** A request as the host would pass it on: validated and with its defaults. */
export function parsed<C extends 'campaigns.create' | 'campaigns.export' | 'campaigns.importResponses' | 'campaigns.nextWave' | 'campaigns.controlGroup'>(channel: C, request: RequestOf<C>): ParsedRequestOf<C> {
  return channels[channel].request.parse(request) as ParsedRequestOf<C>;
}

export function createCampaign(ctx: JobContext, request: RequestOf<'campaigns.create'>): Promise<CampaignPlan> {
  return planCampaign(ctx, parsed('campaigns.create', request), { write: true });
}

export function exportLists(ctx: JobContext, request: RequestOf<'campaigns.export'>) {
  return exportCallLists(ctx, parsed('campaigns.export', request));
}

/** Members of a campaign by group. */
export function membersOf(db: Db, campaignId: string, group: 'target' | 'control'): string[] {
  return db.prepare('SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND member_group = ? ORDER BY customer_id').pluck().all(campaignId, group) as string[];
}
