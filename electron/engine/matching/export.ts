/**
 * `matching.export`: a product's customer list as on screen (sort, filter, contactable only) to XLSX or
 * CSV, through the workbench's exporter (atomic file, SHA-256, audit entry; export/table-export.ts). Names
 * and mobiles are masked unless the workspace turned masking off; amounts are in 万元, shares in %.
 */
import type { ExportResult, ParsedRequestOf } from '../../../shared/api';
import { measureHeader, yuanToWan } from '../../../shared/glossary';
import { VALUE_TIER_LABELS } from '../../../shared/rule-fields';
import type { JobContext } from '../context';
import { EngineError } from '../errors';
import { prepareTarget } from '../export/atomic-file';
import { EXPORT_CHUNK, maskNote, type ExportSource } from '../export/export-source';
import { writeExport } from '../export/table-export';
import { readSettings } from '../settings-store';
import { loadProducts } from './eligibility';
import { productListChunks } from './product-list';

const yesNo = (value: number | null, yes: string, no: string) => (value === null ? '未登记' : value === 1 ? yes : no);

export async function exportProductList(ctx: JobContext, request: ParsedRequestOf<'matching.export'>): Promise<ExportResult> {
  const db = ctx.db();
  const product = loadProducts(db).find((p) => p.productId === request.productId);
  if (!product) throw new EngineError('not_found', `产品目录中没有产品“${request.productId.slice(0, 40)}”，请重新选择产品`);
  const target = prepareTarget(request.path, request.format);
  const list = productListChunks(db, request, EXPORT_CHUNK);
  const source: ExportSource = {
    title: `产品匹配名单-${product.name}`.slice(0, 31),
    columns: [
      { label: '客户号', kind: 'text' },
      { label: '姓名', kind: 'text' },
      { label: '价值层级', kind: 'text' },
      { label: '客户经理', kind: 'text' },
      { label: '手机号', kind: 'text' },
      { label: '营销授权', kind: 'text' },
      { label: '勿扰', kind: 'text' },
      { label: '上次联系日期', kind: 'date' },
      { label: '购买可能性', kind: 'share' },
      // 万元 to four decimals: a product's yearly contribution is often a few hundred 元.
      { label: measureHeader('expected_value'), kind: 'number' },
      { label: '推荐序位', kind: 'integer' },
      { label: '推荐理由', kind: 'text' },
      { label: '提示', kind: 'text' },
    ],
    total: list.total,
    chunks: function* () {
      for (const rows of list.chunks()) {
        yield rows.map((r) => [
          r.customer_id,
          r.name,
          r.value_tier ? (VALUE_TIER_LABELS[r.value_tier] ?? r.value_tier) : null,
          r.manager_name,
          r.mobile,
          yesNo(r.consent_marketing, '已同意', '未同意'),
          r.do_not_contact === 1 ? '是' : '否',
          r.last_contact,
          r.propensity,
          yuanToWan(r.expected_value, 4),
          r.rank,
          r.reasons.join('；'),
          r.flags.join('；'),
        ]);
      }
    },
    notes: [
      ['产品', `${product.name}（${product.productId}）`],
      ['数据截至', list.asOf],
      ['排序', request.sort === 'priority' ? '按购买可能性 × 预期年贡献' : '按购买可能性'],
      ['筛选条件', list.filterText],
      ['仅可联系客户', request.contactableOnly ? '是（已排除勿扰和未同意营销的客户）' : '否'],
      ['个人信息', maskNote(readSettings(db).maskPii)],
    ],
    audit: { productId: product.productId, sort: request.sort, filter: list.filterText, contactableOnly: request.contactableOnly, masked: readSettings(db).maskPii },
  };
  return writeExport(ctx, target, request.format, 'matching-product-list', source);
}
