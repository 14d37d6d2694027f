/**
 * The import wizard's state, shared by its step components through provide/inject: the file and how it is
 * read, the column mapping, the value maps of coded columns, the validation result, the policy and the
 * outcome. Each step component reads and edits this one object, so the steps stay small.
 */
import { computed, inject, provide, ref, type InjectionKey } from 'vue';
import type { ColumnMapping, ImportCheck, ImportPolicy, ImportPreview, ImportResult, RequestOf } from '../../../../shared/api';
import { entity as entityDef, type EntityKey } from '../../../../shared/dictionary';
import { maskValue } from '../../../../shared/masking';
import type { TableColumn } from '../../components/table';
import { formatInt } from '../../utils/format';

/** 'auto' lets the engine detect; Element Plus shows an empty-string option as no selection. */
export type Encoding = 'auto' | 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';
export type Delimiter = 'auto' | ',' | '\t' | ';' | '|';

/** The mapping value of a column that is not imported (an empty string would show as no selection). */
export const IGNORE = '-';

/** Value map editing: a code read the default way is absent; 'unknown' loads it as empty. */
export const UNKNOWN = '__unknown__';

export function createImportWizard() {
  const step = ref(0);
  const entity = ref<EntityKey>('customers');
  const file = ref<string | null>(null);
  const encoding = ref<Encoding>('auto');
  const delimiter = ref<Delimiter>('auto');
  const sheet = ref('');
  const preview = ref<ImportPreview | null>(null);
  const columns = ref<Record<string, string>>({});
  const constants = ref<Record<string, string>>({});
  const baseMapping = ref<ColumnMapping>({ columns: {} });
  /** Per field: the raw code → the code to read (UNKNOWN for empty). */
  const valueMaps = ref<Record<string, Record<string, string>>>({});
  const check = ref<ImportCheck | null>(null);
  const checkedMapping = ref('');
  const policy = ref<ImportPolicy>('reject');
  const result = ref<ImportResult | null>(null);

  const def = computed(() => entityDef(entity.value));
  const fileName = computed(() => (file.value ? (file.value.split(/[\\/]/).pop() ?? file.value) : ''));
  const mappedFields = computed(() => Object.values(columns.value).filter((v) => v !== IGNORE));

  /** The mapping as the engine takes it, value maps included. */
  function currentMapping(): ColumnMapping {
    const mapping: ColumnMapping = { columns: Object.fromEntries(Object.entries(columns.value).filter(([, v]) => v !== IGNORE)) };
    const consts = Object.fromEntries(Object.entries(constants.value).filter(([k, v]) => v.trim() !== '' && !mappedFields.value.includes(k)).map(([k, v]) => [k, v.trim()]));
    if (Object.keys(consts).length > 0) mapping.constants = consts;
    const base = baseMapping.value;
    if (base.scales) {
      const scales = Object.fromEntries(Object.entries(base.scales).filter(([k]) => mappedFields.value.includes(k)));
      if (Object.keys(scales).length > 0) mapping.scales = scales;
    }
    if (base.transforms) {
      const transforms = base.transforms.filter((tr) => tr.column in columns.value);
      if (transforms.length > 0) mapping.transforms = transforms;
    }
    if (base.rowKey) mapping.rowKey = base.rowKey;
    const values = Object.fromEntries(
      Object.entries(valueMaps.value)
        .filter(([field, map]) => mappedFields.value.includes(field) && Object.keys(map).length > 0)
        .map(([field, map]) => [field, Object.fromEntries(Object.entries(map).map(([raw, code]) => [raw, code === UNKNOWN ? null : code]))]),
    );
    if (Object.keys(values).length > 0) mapping.values = values;
    return mapping;
  }

  function applyMapping(mapping: ColumnMapping): void {
    const headers = preview.value?.headers ?? [];
    baseMapping.value = { ...mapping };
    columns.value = Object.fromEntries(headers.map((h) => [h, mapping.columns[h] ?? IGNORE]));
    constants.value = Object.fromEntries(Object.entries(mapping.constants ?? {}).map(([k, v]) => [k, String(v)]));
    valueMaps.value = Object.fromEntries(
      Object.entries(mapping.values ?? {}).map(([field, map]) => [field, Object.fromEntries(Object.entries(map).map(([raw, code]) => [raw, code ?? UNKNOWN]))]),
    );
  }

  /** How the file is read (encoding, delimiter, sheet), for the preview, check and run requests. */
  function sourceOptions(): Omit<RequestOf<'import.preview'>, 'entity' | 'file'> {
    return {
      ...(encoding.value !== 'auto' ? { encoding: encoding.value } : {}),
      ...(delimiter.value !== 'auto' ? { delimiter: delimiter.value } : {}),
      ...(sheet.value ? { sheet: sheet.value } : {}),
    };
  }

  /** A sample cell as the screen may show it: cells of a column mapped to 姓名/手机/证件号 are masked. */
  function shownSample(header: string, value: string): string {
    const fieldKey = columns.value[header];
    const pii = fieldKey && fieldKey !== IGNORE ? def.value.fields.find((f) => f.key === fieldKey)?.pii : undefined;
    if (!pii || preview.value?.maskedColumns.includes(header)) return value;
    return maskValue(pii, value) ?? '';
  }

  function reset(): void {
    step.value = 0;
    file.value = null;
    preview.value = null;
    result.value = null;
    check.value = null;
    checkedMapping.value = '';
    columns.value = {};
    constants.value = {};
    valueMaps.value = {};
  }

  return {
    step,
    entity,
    file,
    encoding,
    delimiter,
    sheet,
    preview,
    columns,
    constants,
    baseMapping,
    valueMaps,
    check,
    checkedMapping,
    policy,
    result,
    def,
    fileName,
    mappedFields,
    currentMapping,
    applyMapping,
    sourceOptions,
    shownSample,
    reset,
  };
}

export type ImportWizard = ReturnType<typeof createImportWizard>;

/** The columns of a table of row errors (check step and result), by the file's row numbers. */
export function rowErrorColumns(t: (key: string, values?: Record<string, unknown>) => string): TableColumn[] {
  return [
    { key: 'row', label: t('import.errorRow'), width: 110, format: (r) => t('import.errorRowValue', { n: formatInt(r.row) }), exportValue: (r) => r.row as number },
    { key: 'column', label: t('import.errorColumn'), width: 160 },
    { key: 'value', label: t('import.errorValue'), width: 180 },
    { key: 'message', label: t('import.errorMessage'), minWidth: 260, wrap: true },
  ];
}

const KEY: InjectionKey<ImportWizard> = Symbol('import-wizard');

export function provideImportWizard(): ImportWizard {
  const wizard = createImportWizard();
  provide(KEY, wizard);
  return wizard;
}

export function useImportWizard(): ImportWizard {
  const wizard = inject(KEY);
  if (!wizard) throw new Error('useImportWizard outside the import view');
  return wizard;
}
