/**
 * Mapping templates: the built-in ones that ship with the app for the public datasets, and the ones users
 * save into their workspace from the import wizard.
 */
import type { ColumnMapping, MappingTemplate } from '../../../shared/api';
import { columnMappingSchema } from '../../../shared/api';
import type { EntityKey } from '../../../shared/dictionary';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';

/** UCI occupations in the words a Chinese branch would use. */
const UCI_JOBS: Record<string, string | null> = {
  'admin.': '行政人员',
  'blue-collar': '蓝领工人',
  entrepreneur: '企业主',
  housemaid: '家政人员',
  management: '管理人员',
  retired: '退休人员',
  'self-employed': '个体经营',
  services: '服务业人员',
  student: '学生',
  technician: '技术人员',
  unemployed: '待业',
  unknown: null,
};

/** The UCI campaigns ran from May 2008 to November 2010; ages are taken as of the end. */
const UCI_REFERENCE_DATE = '2010-11-30';

export const BUILT_IN_TEMPLATES: readonly MappingTemplate[] = [
  {
    name: 'berka-district',
    entity: 'communities',
    builtIn: true,
    mapping: { columns: { A1: 'community_id', A2: 'name', A3: 'district', A4: 'population' } },
  },
  {
    name: 'berka-client',
    entity: 'customers',
    builtIn: true,
    mapping: {
      columns: { client_id: 'customer_id', district_id: 'community_id' },
      transforms: [{ name: 'berka_birth_number', column: 'birth_number' }],
    },
  },
  {
    name: 'uci-bank-customers',
    entity: 'customers',
    builtIn: true,
    mapping: {
      columns: {},
      rowKey: { field: 'customer_id', prefix: 'UCI' },
      transforms: [
        { name: 'age_to_birth_date', column: 'age', options: { referenceDate: UCI_REFERENCE_DATE } },
        { name: 'map_values', column: 'job', options: { field: 'occupation', map: UCI_JOBS } },
        { name: 'map_values', column: 'marital', options: { field: 'marital_status', map: { married: '已婚', single: '未婚', divorced: '离异/丧偶' } } },
        { name: 'map_values', column: 'education', options: { field: 'education', map: { primary: '初中及以下', secondary: '高中/中专', tertiary: '大专及以上', unknown: null } } },
      ],
    },
  },
  {
    name: 'uci-bank-responses',
    entity: 'campaign_responses',
    builtIn: true,
    mapping: {
      columns: {},
      rowKey: { field: 'customer_id', prefix: 'UCI' },
      constants: { campaign_id: 'UCI-定期存款电话营销' },
      transforms: [{ name: 'map_values', column: 'y', options: { field: 'outcome', map: { yes: 'converted', no: 'contacted' }, strict: true } }],
    },
  },
];

export function listTemplates(db: Db | null, entity?: EntityKey): MappingTemplate[] {
  const saved: MappingTemplate[] = db
    ? (db.prepare('SELECT name, entity, mapping_json FROM mapping_templates ORDER BY name').all() as { name: string; entity: EntityKey; mapping_json: string }[]).map((r) => ({
        name: r.name,
        entity: r.entity,
        mapping: JSON.parse(r.mapping_json) as ColumnMapping,
        builtIn: false,
      }))
    : [];
  return [...BUILT_IN_TEMPLATES, ...saved].filter((t) => !entity || t.entity === entity);
}

export function saveTemplate(db: Db, name: string, entity: EntityKey, mapping: ColumnMapping): MappingTemplate {
  if (BUILT_IN_TEMPLATES.some((t) => t.name === name)) {
    throw new EngineError('bad_input', `“${name}”是内置模板的名称，请换一个名称`);
  }
  const parsed = columnMappingSchema.parse(mapping);
  db.prepare(
    'INSERT INTO mapping_templates (name, entity, mapping_json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET entity = excluded.entity, mapping_json = excluded.mapping_json, updated_at = excluded.updated_at',
  ).run(name, entity, JSON.stringify(parsed), new Date().toISOString());
  return { name, entity, mapping: parsed, builtIn: false };
}

/** A template by built-in name, saved name, or the path of a JSON file holding a ColumnMapping. */
export function findTemplate(db: Db | null, nameOrMapping: string, entity: EntityKey): MappingTemplate | undefined {
  return listTemplates(db, entity).find((t) => t.name === nameOrMapping);
}
