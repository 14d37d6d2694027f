/**
 * The one contract between the renderer and the rest of the app: channel names, their request schemas
 * (validated with zod wherever a request crosses a process boundary), their response types, and the
 * events the engine pushes. The main process treats the renderer as untrusted and validates every request
 * here; the engine validates again, because the CLI and tests call it directly.
 *
 * Channel kinds:
 * - `host`  workspace lifecycle, answered by the EngineHost itself (it coordinates both workers);
 * - `query` answered by the query worker, fast reads that never wait behind a job;
 * - `job`   run by the job worker; the call returns a job id at once, then `job.progress` events and one
 *           `job.finished` event follow;
 * - `app`   desktop services of the Electron main process (native dialogs, recent files), outside the engine.
 */
import { z } from 'zod';
import { ENTITIES, type EntityKey } from './dictionary';
import type { QualityLevel } from './import';
import { ruleSchema, type RuleNode } from './rules';
import type {
  AnalysisOverview,
  AnalysisRunInfo,
  AnalysisSummary,
  ChurnExplanation,
  ChurnScoreSummary,
  GroupPortrait,
  ModelCard,
  RiskRow,
  SegmentationResult,
  SegmentInfo,
  TagInfo,
  TierMigration,
} from './analytics';
import { FEATURE_KEYS } from './analytics';
import { appChannel, hostChannel, jobChannel, queryChannel } from './channel-def';
import { campaignChannels } from './campaigns';
import { churnChannels, type LostNote } from './churn';
import { communityChannels } from './community';
import { customerListChannels } from './customer-list';
import { matchingChannels } from './matching';
import { reportChannels } from './reports';
import { newPassphraseSchema, passphraseSchema, securityChannels } from './security';
import type { RuleField } from './rule-fields';
import type { CodedColumnProfile } from './value-maps';

/** A filterable field as the rule builder sees it: everything but the SQL behind it. */
export type RuleFieldInfo = Omit<RuleField, 'sql' | 'sqlParams' | 'runId'>;
import type { Settings } from './settings';

const entityKeys = ENTITIES.map((e) => e.key) as [EntityKey, ...EntityKey[]];
export const entityKeySchema = z.enum(entityKeys);

const filePath = z.string().min(1, '请选择文件').max(4096);

// ---------------------------------------------------------------------------------------------------------
// Shared shapes

export interface WorkspaceSummary {
  path: string;
  fileName: string;
  schemaVersion: number;
  customers: number;
  /** Encrypted at rest with a passphrase (shared/security.ts). */
  encrypted: boolean;
}

export interface TableCount {
  table: string;
  label: string;
  rows: number;
}

export interface ImportBatchSummary {
  batchId: number;
  entity: EntityKey;
  fileName: string;
  fileSha256: string;
  status: 'committed' | 'rejected';
  policy: ImportPolicy;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  startedAt: string;
  finishedAt: string;
  message: string | null;
}

export interface WorkspaceInfo {
  path: string;
  schemaVersion: number;
  tables: TableCount[];
  imports: ImportBatchSummary[];
}

export const IMPORT_POLICIES = ['reject', 'skip-bad'] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];

/** How source columns become workspace fields. Saved as a mapping template. */
export const columnMappingSchema = z.strictObject({
  /** Source header → field key. Headers not listed are ignored. */
  columns: z.record(z.string().max(200), z.string().max(100)),
  /** Fields given one value for every row, e.g. the month of a balance snapshot. */
  constants: z.record(z.string().max(100), z.union([z.string().max(500), z.number()])).optional(),
  /** Multiplier per field from a unit in the header, e.g. 10000 for 资产(万元). */
  scales: z.record(z.string().max(100), z.number().positive()).optional(),
  /** Named transforms that derive fields from a source column (see engine/import/transforms.ts). */
  transforms: z
    .array(z.strictObject({ name: z.string().max(60), column: z.string().max(200), options: z.record(z.string(), z.unknown()).optional() }))
    .max(20)
    .optional(),
  /** Make a key from the row number when the file has none, e.g. the UCI marketing file. */
  rowKey: z.strictObject({ field: z.string().max(100), prefix: z.string().max(40) }).optional(),
  /**
   * Value maps of coded columns, per field: the code as the file writes it → the value to read (a code, a
   * label or a synonym of the field; null or '' for unknown), e.g. { gender: { '0': 'M', '1': 'F' } }.
   */
  values: z.record(z.string().max(100), z.record(z.string().max(200), z.string().max(100).nullable()).refine((m) => Object.keys(m).length <= 200, '每列最多 200 个值对照')).optional(),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const sourceOptionsSchema = z.strictObject({
  file: filePath,
  /** XLSX sheet name; the first sheet when omitted. */
  sheet: z.string().max(200).optional(),
  /** Forces an encoding instead of detecting it. */
  encoding: z.enum(['utf-8', 'gb18030', 'utf-16le', 'utf-16be']).optional(),
  /** Forces a delimiter instead of sniffing it. */
  delimiter: z.enum([',', '\t', ';', '|']).optional(),
});
export type SourceOptions = z.infer<typeof sourceOptionsSchema>;

export interface ImportPreview {
  fileName: string;
  fileBytes: number;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  sheets: string[];
  sheet: string | null;
  headers: string[];
  /** Up to 100 data rows, as text. */
  rows: string[][];
  /** Suggested mapping for the chosen entity, from the dictionary. */
  mapping: ColumnMapping;
  /** Required fields of the entity no column maps to. */
  missingRequired: string[];
  /** Columns whose cells were masked (姓名, 手机号, 证件号) because settings mask personal information. */
  maskedColumns: string[];
}

/** The validation step of the import wizard (`import.check`): the whole file read, nothing written. */
export interface ImportCheck {
  rowsRead: number;
  /** Rows that would load under the policy 跳过问题行. */
  rowsValid: number;
  errors: RowError[];
  errorCount: number;
  /** Every coded column of the mapping: its codes with counts and how each will be read. */
  codedColumns: CodedColumnProfile[];
  /** Coded columns the import would refuse until a value map is given. */
  ambiguous: string[];
}

export interface RowError {
  /** 1-based row number in the file as a spreadsheet shows it (the header is row 1). */
  row: number;
  column: string | null;
  value: string | null;
  message: string;
}

export interface ImportResult {
  batchId: number;
  status: 'committed' | 'rejected';
  entity: EntityKey;
  fileName: string;
  fileSha256: string;
  encoding: string | null;
  delimiter: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Every error found, up to a cap; `errorCount` is the full number. */
  errors: RowError[];
  errorCount: number;
  message: string;
  seconds: number;
}

export interface PlantedDefect {
  entity: EntityKey;
  file: string;
  row: number;
  column: string | null;
  kind: 'bad_date' | 'duplicate_key' | 'ragged_row' | 'text_in_number';
  value: string;
}

export interface DemoResult {
  path: string;
  customers: number;
  files: string[];
  imports: ImportResult[];
  /** With `dirty`: the defects the generator planted, to compare with the import errors. */
  defects: PlantedDefect[];
  /** The figures of each analysis step (electron/engine/demo/demo-analysis.ts); null with `analyze: false`. */
  analysis: Record<string, Record<string, number | string>> | null;
  seconds: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  params: Record<string, unknown>;
  rowCount: number | null;
  outputSha256: string | null;
  reason: string | null;
  /** The entry in words: "导出客户清单 1,050 行，筛选：性别 等于 女，已脱敏". */
  summary: string;
  /** The operating system's user and the machine that made the entry; null for entries older than both. */
  osUser: string | null;
  machine: string | null;
}

export interface MappingTemplate {
  name: string;
  entity: EntityKey;
  mapping: ColumnMapping;
  builtIn: boolean;
}

export interface ExportResult {
  path: string;
  rows: number;
  sha256: string;
}

export const sortSchema = z.strictObject({ field: z.string().max(100), direction: z.enum(['asc', 'desc']) });

export const customerPageRequestSchema = z.strictObject({
  filter: ruleSchema.optional(),
  search: z.string().max(100).optional(),
  sort: sortSchema.optional(),
  /** Keyset cursor from the previous page; absent for the first page. */
  after: z.strictObject({ value: z.union([z.string(), z.number(), z.null()]), id: z.string() }).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

export interface CustomerRow {
  customer_id: string;
  [field: string]: string | number | null;
}

export interface CustomerPage {
  rows: CustomerRow[];
  next: { value: string | number | null; id: string } | null;
}

export interface Portrait360 {
  customer: Record<string, string | number | null>;
  community: Record<string, string | number | null> | null;
  manager: Record<string, string | number | null> | null;
  balances: { month: string; aum: number; deposit: number | null; wealth: number | null; loan: number | null }[];
  holdings: { product_id: string; name: string; category: string; risk_rating: string | null; opened_at: string; closed_at: string | null; balance: number | null }[];
  channelMix: { channel: string; count: number; amount: number }[];
  recentTransactions: { txn_id: string; txn_date: string; channel: string | null; type: string | null; amount: number; direction: string | null }[];
  interactions: { date: string; channel: string; kind: string; outcome: string | null; score: number | null }[];
  scores: Record<string, string | number | null> | null;
  tags: { tag_id: string; name: string; category: string }[];
}

export interface FieldQuality {
  field: string;
  label: string;
  completeness: number;
  validity: number | null;
  distinct: number | null;
  /** Why the field may legitimately be empty (未结清的持有没有结清日期); its completeness is then no defect. */
  mayBeEmpty: string | null;
  /** Traffic lights against settings.quality; null where nothing is judged. */
  completenessLevel: QualityLevel | null;
  validityLevel: QualityLevel | null;
}

export interface TableQuality {
  table: string;
  label: string;
  rows: number;
  duplicates: number;
  latestDate: string | null;
  latestMonth: string | null;
  fields: FieldQuality[];
  orphans: { field: string; label: string; count: number }[];
  /** Mean completeness of the fields that should be filled, and mean validity; null for an empty table. */
  completeness: number | null;
  validity: number | null;
  /** The worst light of the table's judged fields; null for an empty table. */
  level: QualityLevel | null;
}

/** A problem of the data that is a problem of the business, with the customers it concerns. */
export interface QualityFinding {
  id: 'risk_level_missing' | 'flow_balance_mismatch';
  level: 'red' | 'amber';
  title: string;
  detail: string;
  customers: number;
  /** Of the customers the check applies to. */
  share: number;
  /** The customers concerned, as a customer-list filter. */
  link: { rule: RuleNode; title: string } | null;
  /** A few customers concerned, e.g. the largest gaps between flows and balances (amounts in 元). */
  examples: { customerId: string; inflow: number; outflow: number; balanceChange: number }[];
}

export interface QualityReport {
  generatedAt: string;
  tables: TableQuality[];
  findings: QualityFinding[];
  thresholds: { green: number; amber: number };
}

export const importPreviewRequestSchema = z.strictObject({
  ...sourceOptionsSchema.shape,
  entity: entityKeySchema,
});

export const importRunRequestSchema = z.strictObject({
  ...sourceOptionsSchema.shape,
  entity: entityKeySchema,
  mapping: columnMappingSchema.optional(),
  policy: z.enum(IMPORT_POLICIES).default('reject'),
});

export const importCheckRequestSchema = z.strictObject({
  ...sourceOptionsSchema.shape,
  entity: entityKeySchema,
  mapping: columnMappingSchema.optional(),
});

export const importRecipeRequestSchema = z.strictObject({
  recipe: z.enum(['berka', 'uci-bank']),
  dir: filePath,
});

export const saveTemplateRequestSchema = z.strictObject({
  name: z.string().trim().min(1, '请填写模板名称').max(100),
  entity: entityKeySchema,
  mapping: columnMappingSchema,
});

export const demoRequestSchema = z.strictObject({
  path: filePath,
  customers: z.number().int().min(1000, '客户数至少 1,000').max(1_000_000, '客户数最多 1,000,000').default(20_000),
  seed: z.number().int().min(0).default(20240601),
  txPerYear: z.number().int().min(1).max(400).default(60),
  months: z.number().int().min(12).max(60).default(24),
  dirty: z.boolean().default(false),
  encoding: z.enum(['utf-8', 'gb18030']).default('utf-8'),
  /** Replace an existing file at `path`. */
  overwrite: z.boolean().default(false),
  /** Run the customer analysis, churn model and the other demo analysis steps after the import. */
  analyze: z.boolean().default(true),
  /** Create the demo workspace encrypted with this passphrase. */
  passphrase: newPassphraseSchema.optional(),
});

export const exportRequestSchema = z.strictObject({
  kind: z.enum(['customers', 'import-errors', 'rows']),
  path: filePath,
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  filter: ruleSchema.optional(),
  search: z.string().max(100).optional(),
  batchId: z.number().int().positive().optional(),
  /** For `rows`: a table the renderer already holds (small result sets, e.g. a chart's data). */
  columns: z.array(z.strictObject({ key: z.string().max(100), label: z.string().max(200) })).max(200).optional(),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))).max(100_000).optional(),
  title: z.string().max(200).optional(),
  /** Why the list leaves the workbench: required when personal data goes out unmasked (masking is off). */
  purpose: z.string().trim().min(4, '请填写用途（至少 4 个字）').max(500).optional(),
});

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM，例如 2024-06');
const featureKeySchema = z.enum(FEATURE_KEYS);

export const analysisRunRequestSchema = z.strictObject({
  /** The as-of month; the last complete month in the balances when omitted. */
  asOf: monthSchema.optional(),
});

export const migrationRequestSchema = z.strictObject({
  fromMonth: monthSchema,
  toMonth: monthSchema,
  limit: z.number().int().min(1).max(5000).default(200),
});

export const clusterRequestSchema = z.strictObject({
  features: z.array(featureKeySchema).min(2, '请至少选择 2 个特征').max(FEATURE_KEYS.length),
  /** Number of clusters; suggested by silhouette over 2..10 when omitted. */
  k: z.number().int().min(2, '分群数至少为 2').max(20, '分群数最多为 20').optional(),
  seed: z.number().int().min(0).default(1),
});

export const saveClustersRequestSchema = z.strictObject({
  runId: z.number().int().positive(),
  /** Names per cluster index; the suggested names are used where absent. */
  names: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  /** Only these cluster indexes; all when absent. */
  clusters: z.array(z.number().int().min(0)).max(20).optional(),
});

export const saveRuleSegmentRequestSchema = z.strictObject({
  name: z.string().trim().min(1, '请填写客群名称').max(60),
  description: z.string().max(500).optional(),
  rule: ruleSchema,
});

export const saveRuleTagRequestSchema = z.strictObject({
  name: z.string().trim().min(1, '请填写标签名称').max(40),
  category: z.string().trim().min(1).max(20),
  description: z.string().max(500).optional(),
  rule: ruleSchema,
});

export const churnTrainRequestSchema = z.strictObject({
  horizonMonths: z.number().int().min(1).max(12).default(3),
  trees: z.number().int().min(10).max(1000).default(200),
  maxDepth: z.number().int().min(2).max(40).nullable().default(12),
  minSamplesLeaf: z.number().int().min(1).max(1000).default(5),
  seed: z.number().int().min(0).default(1),
  /** Also train as of T−2h and test as of T−h. */
  laterPeriod: z.boolean().default(true),
  /** 'balanced' up-weights the rare churners; it ranks no better on the demo and distorts the probabilities. */
  classWeight: z.enum(['none', 'balanced']).default('none'),
});

export const riskListRequestSchema = z.strictObject({
  filter: ruleSchema.optional(),
  /** churn_prob, the 3-month average AUM, or expected_loss (probability × that AUM, 预期流失资产). */
  sort: z.strictObject({ field: z.enum(['churn_prob', 'aum', 'expected_loss']), direction: z.enum(['asc', 'desc']) }).default({ field: 'churn_prob', direction: 'desc' }),
  after: z.strictObject({ value: z.union([z.number(), z.null()]), id: z.string() }).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

// ---------------------------------------------------------------------------------------------------------
// Channels

const empty = z.strictObject({});

const localDaySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期应为 YYYY-MM-DD，例如 2024-06-30');

const fileFilters = z.array(z.strictObject({ name: z.string().max(100), extensions: z.array(z.string().max(10)).max(20) })).max(10).optional();

export interface RecentWorkspace {
  path: string;
  openedAt: string;
  exists: boolean;
}

export const channels = {
  'app.openFileDialog': appChannel<string | null>()(
    z.strictObject({ title: z.string().max(200).optional(), filters: fileFilters, directory: z.boolean().optional() }),
  ),
  'app.saveFileDialog': appChannel<string | null>()(
    z.strictObject({ title: z.string().max(200).optional(), defaultPath: z.string().max(4096).optional(), filters: fileFilters }),
  ),
  'app.recentWorkspaces': appChannel<RecentWorkspace[]>()(empty),
  'app.revealFile': appChannel<null>()(z.strictObject({ path: filePath })),
  'app.info': appChannel<{ version: string; platform: string; electron: string | null }>()(empty),

  /** With a passphrase the new workspace is encrypted; the policy of the computer may require one. */
  'workspace.create': hostChannel<WorkspaceSummary>()(z.strictObject({ path: filePath, passphrase: newPassphraseSchema.optional() })),
  'workspace.open': hostChannel<WorkspaceSummary>()(z.strictObject({ path: filePath, passphrase: passphraseSchema.optional() })),
  'workspace.close': hostChannel<null>()(empty),
  'workspace.current': hostChannel<WorkspaceSummary | null>()(empty),
  'job.cancel': hostChannel<{ cancelled: boolean }>()(z.strictObject({ jobId: z.string().max(64) })),

  'workspace.info': queryChannel<WorkspaceInfo>()(empty),
  'import.preview': queryChannel<ImportPreview>()(importPreviewRequestSchema),
  'import.templates': queryChannel<MappingTemplate[]>()(z.strictObject({ entity: entityKeySchema.optional() })),
  'import.saveTemplate': queryChannel<MappingTemplate>()(saveTemplateRequestSchema),
  'import.errors': queryChannel<RowError[]>()(z.strictObject({ batchId: z.number().int().positive() })),
  'customers.page': queryChannel<CustomerPage>()(customerPageRequestSchema),
  'customers.count': queryChannel<number>()(
    z.strictObject({ filter: ruleSchema.optional(), search: z.string().max(100).optional() }),
  ),
  'customers.portrait': queryChannel<Portrait360>()(z.strictObject({ customerId: z.string().min(1).max(100) })),
  'customers.unmask': queryChannel<Record<string, string | null>>()(
    z.strictObject({ customerId: z.string().min(1).max(100), reason: z.string().trim().min(4, '请填写查看原因（至少 4 个字）').max(500) }),
  ),
  'audit.list': queryChannel<{ total: number; entries: AuditEntry[] }>()(
    z.strictObject({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      action: z.string().min(1).max(100).optional(),
      from: localDaySchema.optional(),
      to: localDaySchema.optional(),
    }),
  ),
  'settings.get': queryChannel<Settings>()(empty),
  'settings.set': queryChannel<Settings>()(z.strictObject({ patch: z.record(z.string(), z.unknown()) })),

  'customers.fields': queryChannel<{ fields: RuleFieldInfo[]; unavailable: Record<string, string> }>()(empty),
  'analysis.runs': queryChannel<AnalysisRunInfo[]>()(empty),
  'analysis.overview': queryChannel<AnalysisOverview | null>()(z.strictObject({ runId: z.number().int().positive().optional() })),
  'analysis.months': queryChannel<string[]>()(empty),
  'analysis.migration': queryChannel<TierMigration>()(migrationRequestSchema),
  'tags.list': queryChannel<TagInfo[]>()(empty),
  'tags.delete': queryChannel<null>()(z.strictObject({ tagId: z.string().min(1).max(100) })),
  'segments.list': queryChannel<SegmentInfo[]>()(empty),
  'segments.delete': queryChannel<null>()(z.strictObject({ segmentId: z.number().int().positive() })),
  'groups.portrait': queryChannel<GroupPortrait>()(z.strictObject({ filter: ruleSchema, description: z.string().max(200).optional() })),
  'churn.models': queryChannel<ModelCard[]>()(empty),
  'churn.model': queryChannel<ModelCard | null>()(z.strictObject({ modelId: z.number().int().positive().optional() })),
  'churn.riskList': queryChannel<{ rows: RiskRow[]; next: { value: number | null; id: string } | null; total: number }>()(riskListRequestSchema),
  /** A scored customer's explanation, a note for one left out as already lost, or null. */
  'churn.explain': queryChannel<ChurnExplanation | LostNote | null>()(z.strictObject({ customerId: z.string().min(1).max(100) })),

  'import.run': jobChannel<ImportResult>()(importRunRequestSchema),
  'import.recipe': jobChannel<ImportResult[]>()(importRecipeRequestSchema),
  'import.check': jobChannel<ImportCheck>()(importCheckRequestSchema),
  'demo.create': jobChannel<DemoResult>()(demoRequestSchema),
  'quality.run': jobChannel<QualityReport>()(empty),
  'export.table': jobChannel<ExportResult>()(exportRequestSchema),
  'analysis.run': jobChannel<AnalysisSummary>()(analysisRunRequestSchema),
  'segments.cluster': jobChannel<SegmentationResult>()(clusterRequestSchema),
  'segments.saveClusters': jobChannel<SegmentInfo[]>()(saveClustersRequestSchema),
  'segments.saveRule': jobChannel<SegmentInfo>()(saveRuleSegmentRequestSchema),
  'tags.saveRule': jobChannel<TagInfo>()(saveRuleTagRequestSchema),
  'churn.train': jobChannel<ModelCard>()(churnTrainRequestSchema),
  'churn.score': jobChannel<ChurnScoreSummary>()(z.strictObject({ modelId: z.number().int().positive().optional() })),

  // Each capability declares its channels in its own file of shared/.
  ...churnChannels,
  ...customerListChannels,
  ...matchingChannels,
  ...campaignChannels,
  ...communityChannels,
  ...reportChannels,
  ...securityChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type JobChannel = { [K in ChannelName]: Channels[K]['kind'] extends 'job' ? K : never }[ChannelName];
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
/** What `invoke` resolves to: the response, or for a job the id to follow its events by. */
export type InvokeResultOf<C extends ChannelName> = Channels[C]['kind'] extends 'job' ? { jobId: string } : Channels[C]['response'];
export type ResultOf<C extends ChannelName> = Channels[C]['response'];

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(channels, value);
}

// ---------------------------------------------------------------------------------------------------------
// Events and errors

export interface JobProgress {
  jobId: string;
  channel: JobChannel;
  phase: string;
  done: number;
  total: number;
}

export interface JobFinished {
  jobId: string;
  channel: JobChannel;
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: unknown;
  error?: EngineErrorData;
}

/** Sent whenever the open workspace changes, whoever changed it (the page, the menu, a second window). */
export interface WorkspaceChanged {
  workspace: WorkspaceSummary | null;
}

export interface EventMap {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  'workspace.changed': WorkspaceChanged;
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['job.progress', 'job.finished', 'workspace.changed'];

export type ErrorCode =
  | 'invalid_request'
  | 'no_workspace'
  | 'workspace_not_found'
  | 'not_a_workspace'
  | 'schema_too_new'
  | 'passphrase_required'
  | 'wrong_passphrase'
  | 'path_not_allowed'
  | 'busy'
  | 'bad_input'
  | 'not_found'
  | 'cancelled'
  | 'internal';

/** An error as it crosses a process boundary: a Chinese message for the user, the detail for the log. */
export interface EngineErrorData {
  code: ErrorCode;
  message: string;
  detail?: string;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: EngineErrorData };

/** Turns zod issues into one Chinese sentence naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? `“${issue.path.join('.')}”` : '请求';
      const message = /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : `格式不正确（${issue.message}）`;
      return `${where}: ${message}`;
    })
    .join('；');
}

/** Validates a request for a channel; throws nothing, returns an envelope the caller can forward. */
export function parseRequest<C extends ChannelName>(name: C, payload: unknown): Envelope<ParsedRequestOf<C>> {
  let result: ReturnType<Channels[C]['request']['safeParse']>;
  try {
    result = channels[name].request.safeParse(payload ?? {}) as typeof result;
  } catch (error) {
    // A payload built to exhaust the validator (a cyclic object, a getter that throws) is still only a bad request.
    return { ok: false, error: { code: 'invalid_request', message: '请求参数有误，无法识别', detail: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) } };
  }
  if (result.success) return { ok: true, data: result.data as ParsedRequestOf<C> };
  return { ok: false, error: { code: 'invalid_request', message: `请求参数有误 — ${describeIssues(result.error)}`, detail: result.error.message.slice(0, 2000) } };
}
