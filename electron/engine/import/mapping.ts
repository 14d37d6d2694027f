/**
 * From a file's headers to workspace fields: the automatic suggestion through the dictionary's synonyms,
 * and the validation of a mapping a user edited or loaded from a template.
 */
import type { ColumnMapping } from '../../../shared/api';
import { entity as entityDef, type EntityKey, type FieldDef } from '../../../shared/dictionary';
import { quoteValue } from './echo';
import { TRANSFORMS, transformOutputs, transformReads } from './transforms';

export interface NormalisedHeader {
  /** The header without case, spaces, brackets, units or required-field marks. */
  key: string;
  /** Multiplier a unit in the header implies, e.g. 10000 for (万元). */
  scale: number;
}

const UNIT_SCALES: Readonly<Record<string, number>> = { 元: 1, 万元: 10_000, 万: 10_000, 亿元: 100_000_000, 亿: 100_000_000, 千元: 1_000 };

/** Brackets in headers almost always hold a unit or a note: 资产余额(万元), 期限（月）, 金额[元]. */
const BRACKETED = /[(（[【]([^)）\]】]*)[)）\]】]/g;

export function normaliseHeader(header: string): NormalisedHeader {
  let scale = 1;
  const withoutBrackets = header.replace(BRACKETED, (_, inner: string) => {
    const unit = inner.trim();
    if (unit in UNIT_SCALES) scale = UNIT_SCALES[unit] as number;
    return '';
  });
  const trailingUnit = /(万元|亿元|千元)$/.exec(withoutBrackets.trim());
  let base = withoutBrackets;
  if (trailingUnit && withoutBrackets.trim().length > trailingUnit[0].length) {
    scale = UNIT_SCALES[trailingUnit[1] as string] as number;
    base = withoutBrackets.trim().slice(0, -trailingUnit[0].length);
  }
  const key = base
    .replace(/[\s\u3000*＊:：_\-—·.]/g, '')
    .toLowerCase();
  return { key, scale };
}

function fieldNames(field: FieldDef): string[] {
  return [field.key, field.label, field.labelEn, ...field.synonyms];
}

/** Header names that stand for a transform rather than a field, e.g. 年龄 for a birth date. */
const TRANSFORM_HEADERS: Readonly<Record<string, { transform: string; entity: EntityKey }>> = {
  年龄: { transform: 'age_to_birth_date', entity: 'customers' },
  age: { transform: 'age_to_birth_date', entity: 'customers' },
  周岁: { transform: 'age_to_birth_date', entity: 'customers' },
};

/**
 * Suggests a mapping for a file: exact matches of the normalised header against every name of every field
 * first, then headers that contain a field name (交易金额（元）合计 → amount). Each field is used once.
 */
export function suggestMapping(entityKey: EntityKey, headers: readonly string[]): ColumnMapping {
  const def = entityDef(entityKey);
  const byName = new Map<string, FieldDef>();
  for (const field of def.fields) {
    for (const name of fieldNames(field)) {
      const key = normaliseHeader(name).key;
      if (!byName.has(key)) byName.set(key, field);
    }
  }
  const columns: Record<string, string> = {};
  const scales: Record<string, number> = {};
  const used = new Set<string>();
  const assign = (header: string, field: FieldDef, scale: number) => {
    columns[header] = field.key;
    used.add(field.key);
    if (scale !== 1 && field.type === 'money') scales[field.key] = scale;
  };

  const normalised = headers.map((h) => normaliseHeader(h));
  headers.forEach((header, i) => {
    const { key, scale } = normalised[i] as NormalisedHeader;
    const field = byName.get(key);
    if (field && !used.has(field.key)) assign(header, field, scale);
  });

  const names = [...byName.entries()].filter(([name]) => name.length >= 2).sort((a, b) => b[0].length - a[0].length);
  headers.forEach((header, i) => {
    if (header in columns) return;
    const { key, scale } = normalised[i] as NormalisedHeader;
    if (key.length === 0) return;
    const hit = names.find(([name, field]) => !used.has(field.key) && key.includes(name));
    if (hit) assign(header, hit[1], scale);
  });

  const transforms: NonNullable<ColumnMapping['transforms']> = [];
  headers.forEach((header, i) => {
    if (header in columns) return;
    const special = TRANSFORM_HEADERS[(normalised[i] as NormalisedHeader).key];
    if (!special || special.entity !== entityKey) return;
    const outputs = transformOutputs({ name: special.transform });
    if (outputs.some((f) => used.has(f))) return;
    transforms.push({ name: special.transform, column: header });
    outputs.forEach((f) => used.add(f));
  });

  return {
    columns,
    ...(Object.keys(scales).length > 0 ? { scales } : {}),
    ...(transforms.length > 0 ? { transforms } : {}),
  };
}

export interface MappingCheck {
  /** Problems that stop the import, in Chinese. */
  problems: string[];
  /** Fields the mapping fills, in entity order. */
  fields: string[];
}

/** Checks a mapping against the file's headers and the entity's fields. */
export function checkMapping(entityKey: EntityKey, headers: readonly string[], mapping: ColumnMapping): MappingCheck {
  const def = entityDef(entityKey);
  const problems: string[] = [];
  const filled = new Map<string, string>();
  const headerSet = new Set(headers);
  const fieldKeys = new Set(def.fields.map((f) => f.key));

  const fill = (fieldKey: string, source: string) => {
    if (!fieldKeys.has(fieldKey)) {
      problems.push(`“${source}”映射到了不存在的字段“${fieldKey}”`);
      return;
    }
    const earlier = filled.get(fieldKey);
    if (earlier) problems.push(`“${earlier}”和“${source}”映射到了同一个字段“${labelOf(def.fields, fieldKey)}”，请只保留一个`);
    else filled.set(fieldKey, source);
  };

  for (const [header, fieldKey] of Object.entries(mapping.columns)) {
    if (!headerSet.has(header)) problems.push(`映射中的列“${header}”在文件中不存在`);
    else fill(fieldKey, header);
  }
  for (const fieldKey of Object.keys(mapping.constants ?? {})) fill(fieldKey, `固定值`);
  for (const transform of mapping.transforms ?? []) {
    if (!(transform.name in TRANSFORMS)) {
      problems.push(`未知的转换“${transform.name}”`);
      continue;
    }
    for (const column of [transform.column, ...transformReads(transform)]) {
      if (!headerSet.has(column)) problems.push(`转换“${transform.name}”使用的列“${column}”在文件中不存在`);
    }
    for (const output of transformOutputs(transform)) fill(output, `${transform.column}（转换）`);
  }
  if (mapping.rowKey) fill(mapping.rowKey.field, '行号');

  const duplicateHeaders = headers.filter((h, i) => h !== '' && headers.indexOf(h) !== i && h in mapping.columns);
  for (const header of new Set(duplicateHeaders)) problems.push(`文件中有多个名为“${header}”的列，无法确定使用哪一个，请修改表头后重试`);

  const missing = def.fields.filter((f) => f.required && !filled.has(f.key));
  if (missing.length > 0) {
    const hints = missing.map((f) => `${f.label}（可识别的表头：${f.synonyms.slice(0, 4).join('、')}）`);
    problems.push(`缺少必填列：${hints.join('；')}。请检查表头，或在列映射中指定对应的列`);
    // Bank exports often put a title line ("网点：城东支行 导出时间 …") above the real header row.
    const named = headers.filter((h) => h.trim() !== '');
    if (named.length === 1) {
      problems.push(`文件第 1 行只有一个单元格“${quoteValue(named[0]!)}”：如果这是标题行，请删除列名上方的标题行，让列名位于第 1 行后再导入`);
    }
  }
  return { problems, fields: def.fields.filter((f) => filled.has(f.key)).map((f) => f.key) };
}

export function missingRequiredFields(entityKey: EntityKey, mapping: ColumnMapping): string[] {
  const def = entityDef(entityKey);
  const filled = new Set<string>([
    ...Object.values(mapping.columns),
    ...Object.keys(mapping.constants ?? {}),
    ...(mapping.transforms ?? []).flatMap((t) => transformOutputs(t)),
    ...(mapping.rowKey ? [mapping.rowKey.field] : []),
  ]);
  return def.fields.filter((f) => f.required && !filled.has(f.key)).map((f) => f.label);
}

function labelOf(fields: readonly FieldDef[], key: string): string {
  return fields.find((f) => f.key === key)?.label ?? key;
}
