/**
 * The campaign the wizard is building: what the analyst typed, with the thresholds the settings start
 * from, turned into a `campaigns.preview` / `campaigns.create` request. Shares are edited in percent.
 */
import { reactive } from 'vue';
import type { RequestOf } from '../../../../shared/api';
import { DEFAULT_SCRIPTS, type AudienceSource, type CampaignChannel, type CampaignGoal, type CampaignRanking } from '../../../../shared/campaigns';
import type { Settings } from '../../../../shared/settings';

export interface CampaignDraftForm {
  name: string;
  goal: CampaignGoal;
  productId: string;
  channel: CampaignChannel;
  period: [string, string] | null;
  budget: number | null;
  costPerContact: number | null;
  owner: string;
  notes: string;
  script: string;
  /** Whether the analyst changed the script; an untouched one follows the goal. */
  scriptEdited: boolean;
  source: AudienceSource | null;
  sourceLabel: string;
  fatigueDays: number;
  maxCampaigns: number;
  controlPct: number;
  perManagerCap: number;
  ranking: CampaignRanking | '';
  ab: boolean;
  arms: { label: string; script: string }[];
  seed: number | null;
}

export function newDraft(settings: Settings['campaigns']): CampaignDraftForm {
  return reactive({
    name: '',
    goal: 'buy_product',
    productId: '',
    channel: 'phone',
    period: null,
    budget: null,
    costPerContact: null,
    owner: '',
    notes: '',
    script: DEFAULT_SCRIPTS.buy_product,
    scriptEdited: false,
    source: null,
    sourceLabel: '',
    fatigueDays: settings.fatigueDays,
    maxCampaigns: settings.maxCampaignsPer30Days,
    controlPct: Math.round(settings.controlShare * 1000) / 10,
    perManagerCap: settings.perManagerCap,
    ranking: '',
    ab: false,
    arms: [
      { label: 'A', script: '' },
      { label: 'B', script: '' },
    ],
    seed: null,
  }) as CampaignDraftForm;
}

export function draftRequest(d: CampaignDraftForm): RequestOf<'campaigns.create'> {
  if (!d.source) throw new Error('draftRequest without a source');
  return {
    name: d.name.trim(),
    goal: d.goal,
    channel: d.channel,
    source: d.source,
    ...(d.sourceLabel ? { sourceLabel: d.sourceLabel } : {}),
    ...(d.productId.trim() ? { productId: d.productId.trim() } : {}),
    ...(d.period ? { startsOn: d.period[0], endsOn: d.period[1] } : {}),
    ...(d.budget !== null ? { budget: d.budget } : {}),
    ...(d.costPerContact !== null ? { costPerContact: d.costPerContact } : {}),
    ...(d.owner.trim() ? { owner: d.owner.trim() } : {}),
    ...(d.notes.trim() ? { notes: d.notes.trim() } : {}),
    ...(d.script.trim() ? { script: d.script.trim() } : {}),
    fatigueDays: d.fatigueDays,
    maxCampaignsPer30Days: d.maxCampaigns,
    controlShare: d.controlPct / 100,
    perManagerCap: d.perManagerCap,
    ...(d.ranking ? { ranking: d.ranking } : {}),
    ...(d.ab ? { arms: d.arms.map((a, i) => ({ label: a.label.trim() || (i === 0 ? 'A' : 'B'), ...(a.script.trim() ? { script: a.script.trim() } : {}) })) } : {}),
    ...(d.seed !== null ? { seed: d.seed } : {}),
  };
}
