/**
 * Turns a table's aggregate counts into the report's per-field rows with arquero (DESIGN.md §1: SQL
 * aggregates, arquero shapes the small result): the counts go in long form (field, metric, value), are
 * pivoted to one row per field, joined to the dictionary's labels and order, and the shares derived.
 */
import * as aq from 'arquero';
import type { FieldQuality, TableQuality } from '../../../shared/api';
import { qualityLevel, type QualityLevel, type QualitySettings } from '../../../shared/import';
import type { TableChecks } from './checks';
import type { TablePass } from './table-pass';

/** A pivoted row as arquero expressions see it. */
interface Metrics {
  present: number;
  invalid?: number | null;
  distinct?: number | null;
  orphans?: number | null;
}

interface MetricRow {
  field: string;
  metric: 'present' | 'invalid' | 'distinct' | 'orphans';
  value: number | null;
}

const LEVEL_ORDER: readonly QualityLevel[] = ['green', 'amber', 'red'];
const worst = (levels: (QualityLevel | null)[]): QualityLevel | null =>
  levels.reduce<QualityLevel | null>((acc, l) => (l === null ? acc : acc === null || LEVEL_ORDER.indexOf(l) > LEVEL_ORDER.indexOf(acc) ? l : acc), null);
const mean = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);

export function shapeTable(checks: TableChecks, pass: TablePass, duplicates: number, thresholds: Pick<QualitySettings, 'green' | 'amber'>): TableQuality {
  const metrics: MetricRow[] = checks.fields.flatMap((check, i) => {
    const counts = pass.fields[i]!;
    const field = check.field.key;
    return [
      { field, metric: 'present' as const, value: counts.present },
      { field, metric: 'invalid' as const, value: counts.invalid },
      { field, metric: 'distinct' as const, value: counts.distinct },
      { field, metric: 'orphans' as const, value: counts.orphans },
    ];
  });
  const labels = aq.from(checks.fields.map((check, order) => ({ field: check.field.key, label: check.field.label, order })));

  // pivot drops nulls (a column with nothing to check becomes undefined), hence the loose `!= null` tests.
  const perField = labels
    .join_left(aq.from(metrics).groupby('field').pivot('metric', 'value'), 'field')
    .params({ rows: pass.rows })
    .derive({
      // An empty table is not a complete one: 0, not 1.
      completeness: (d: Metrics, $: { rows: number }) => ($.rows > 0 ? d.present / $.rows : 0),
      // Validity is a share of the values present; unknown where nothing is checkable or nothing is there.
      validity: (d: Metrics) => (d.invalid != null && d.present > 0 ? (d.present - d.invalid) / d.present : null),
      distinct: (d: Metrics) => (d.distinct != null ? d.distinct : null),
    })
    .orderby('order');

  const shaped = perField.select('field', 'label', 'completeness', 'validity', 'distinct').objects() as Pick<FieldQuality, 'field' | 'label' | 'completeness' | 'validity' | 'distinct'>[];
  const empty = pass.rows === 0;
  const fields: FieldQuality[] = shaped.map((f, i) => {
    const mayBeEmpty = checks.fields[i]!.mayBeEmpty;
    return {
      ...f,
      mayBeEmpty,
      completenessLevel: empty || mayBeEmpty ? null : qualityLevel(f.completeness, thresholds),
      validityLevel: empty ? null : qualityLevel(f.validity, thresholds),
    };
  });
  const judged = fields.filter((f) => f.completenessLevel !== null);
  const orphans = (
    perField
      .filter((d: Metrics) => d.orphans != null)
      .select('field', 'label', 'orphans')
      .objects() as { field: string; label: string; orphans: number }[]
  ).map((r) => ({ field: r.field, label: r.label, count: r.orphans }));

  const kind = checks.freshness?.kind;
  return {
    table: checks.entity.table,
    label: checks.entity.label,
    rows: pass.rows,
    duplicates,
    latestDate: kind === 'date' ? pass.latest : null,
    latestMonth: kind === 'month' ? pass.latest : null,
    fields,
    orphans,
    completeness: empty ? null : mean(judged.map((f) => f.completeness)),
    validity: empty ? null : mean(fields.flatMap((f) => (f.validity === null ? [] : [f.validity]))),
    level: empty ? null : worst(fields.flatMap((f) => [f.completenessLevel, f.validityLevel])),
  };
}
