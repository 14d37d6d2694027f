/**
 * Named transforms a mapping can apply to a source column when a plain column-to-field mapping is not
 * enough: an age instead of a birth date, Berka's birth numbers that encode gender, two-digit-year dates,
 * code lists to translate, keys to look up in another file of the same delivery. Their output is text that
 * then goes through the target field's normal parser, so validation stays in one place.
 */
import { isBlank } from '../../../shared/values';
import { quoteValue } from './echo';

export interface TransformSpec {
  name: string;
  column: string;
  options?: Record<string, unknown> | undefined;
}

export interface TransformEnv {
  /** 'YYYY-MM-DD'; the reference for ages unless the template names one. */
  today: string;
  /** Key → value tables loaded from earlier files of a recipe (see recipes.ts). */
  lookups: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * One cell in, one text value per output field out; or a Chinese reason why not. `cells` is the whole
 * record, for the few transforms that also read a second column named in their options.
 */
export type TransformFn = (raw: string, cells: readonly string[]) => { values: (string | null)[] } | { error: string };

/** The index of a source column by header, -1 when the file has none of that name. */
export type ColumnIndex = (header: string) => number;

interface TransformDef {
  outputs(options: Record<string, unknown>): string[];
  compile(options: Record<string, unknown>, env: TransformEnv, column: ColumnIndex): TransformFn;
  /** Other source columns the transform reads, from its options (checked to exist like its own column). */
  reads?(options: Record<string, unknown>): string[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function optionString(options: Record<string, unknown>, key: string): string {
  const value = options[key];
  if (typeof value !== 'string' || value.length === 0) throw new Error(`transform option ${key} missing`);
  return value;
}

export const TRANSFORMS: Readonly<Record<string, TransformDef>> = {
  /** 年龄 → 出生日期, counted back from a reference date so that the age on that date is exact. */
  age_to_birth_date: {
    outputs: () => ['birth_date'],
    compile(options, env) {
      const reference = typeof options.referenceDate === 'string' ? options.referenceDate : env.today;
      const year = Number(reference.slice(0, 4));
      const monthDay = reference.slice(5) === '02-29' ? '02-28' : reference.slice(5);
      return (raw) => {
        const text = raw.trim();
        if (isBlank(text)) return { values: [null] };
        const age = Number(text);
        if (!Number.isFinite(age)) return { error: '年龄不是数字' };
        if (age < 0) return { error: '年龄不能为负数' };
        if (age > 120) return { error: '年龄超过 120 岁，请检查' };
        return { values: [`${year - Math.floor(age)}-${monthDay}`] };
      };
    },
  },
  /** Berka birth_number YYMMDD, with 50 added to the month for women. */
  berka_birth_number: {
    outputs: () => ['birth_date', 'gender'],
    compile: () => (raw) => {
      const text = raw.trim();
      if (!/^\d{6}$/.test(text)) return { error: '出生编号应为 6 位数字 YYMMDD' };
      let month = Number(text.slice(2, 4));
      const female = month > 50;
      if (female) month -= 50;
      return { values: [`19${text.slice(0, 2)}-${pad2(month)}-${text.slice(4, 6)}`, female ? 'F' : 'M'] };
    },
  },
  /** YYMMDD dates of a known century, e.g. Berka's 930101. */
  yymmdd: {
    outputs: (options) => [optionString(options, 'field')],
    compile(options) {
      const century = typeof options.century === 'number' ? options.century : 1900;
      return (raw) => {
        const text = raw.trim().slice(0, 6);
        if (isBlank(text)) return { values: [null] };
        if (!/^\d{6}$/.test(text)) return { error: '日期应为 6 位数字 YYMMDD' };
        return { values: [`${century + Number(text.slice(0, 2))}-${text.slice(2, 4)}-${text.slice(4, 6)}`] };
      };
    },
  },
  /** Translates codes through a table; values not in it pass through unless `strict`. */
  map_values: {
    outputs: (options) => [optionString(options, 'field')],
    compile(options) {
      const table = new Map(Object.entries((options.map ?? {}) as Record<string, string | null>));
      const strict = options.strict === true;
      return (raw) => {
        const text = raw.trim();
        if (table.has(text)) return { values: [table.get(text) ?? null] };
        if (strict) return { error: `不在对照表中的值，可选：${[...table.keys()].slice(0, 10).join('、')}` };
        return { values: [text] };
      };
    },
  },
  /** Builds a value from a pattern, e.g. product codes 'BERKA-CARD-{value}'. */
  template: {
    outputs: (options) => [optionString(options, 'field')],
    compile(options) {
      const pattern = optionString(options, 'template');
      return (raw) => {
        const text = raw.trim();
        return { values: [isBlank(text) ? null : pattern.replaceAll('{value}', text)] };
      };
    },
  },
  /** Berka trans.asc: operation, k_symbol and type (PRIJEM/VYDAJ/VYBER) → transaction type and channel. */
  berka_transaction: {
    outputs: () => ['type', 'channel'],
    reads: (options) => [optionString(options, 'kSymbolColumn'), optionString(options, 'typeColumn')],
    compile(options, _env, column) {
      const kSymbol = column(optionString(options, 'kSymbolColumn'));
      const type = column(optionString(options, 'typeColumn'));
      return (raw, cells) => {
        const reading = berkaTransaction(raw, cells[kSymbol] ?? '', cells[type] ?? '');
        return { values: [reading.type, reading.channel] };
      };
    },
  },
  /** Looks a key up in a table loaded from another file of the same recipe, e.g. account → owner client. */
  lookup: {
    outputs: (options) => [optionString(options, 'field')],
    compile(options, env) {
      const name = optionString(options, 'lookup');
      const table = env.lookups.get(name);
      if (!table) throw new Error(`lookup table ${name} not loaded`);
      const label = typeof options.label === 'string' ? options.label : name;
      return (raw) => {
        const text = raw.trim();
        const value = table.get(text);
        return value === undefined ? { error: `在${label}中找不到“${quoteValue(text)}”` } : { values: [value] };
      };
    },
  },
};

export function transformOutputs(spec: Pick<TransformSpec, 'name'> & { options?: Record<string, unknown> | undefined }): string[] {
  const def = TRANSFORMS[spec.name];
  if (!def) return [];
  try {
    return def.outputs(spec.options ?? {});
  } catch {
    return [];
  }
}

export function compileTransform(spec: TransformSpec, env: TransformEnv, column: ColumnIndex = () => -1): TransformFn {
  const def = TRANSFORMS[spec.name];
  if (!def) throw new Error(`unknown transform ${spec.name}`);
  return def.compile(spec.options ?? {}, env, column);
}

/** The other columns a transform reads besides its own. */
export function transformReads(spec: Pick<TransformSpec, 'name'> & { options?: Record<string, unknown> | undefined }): string[] {
  try {
    return TRANSFORMS[spec.name]?.reads?.(spec.options ?? {}) ?? [];
  } catch {
    return [];
  }
}

/**
 * How the Berka (PKDD'99) bank coded a transaction, in the workbench's types and channels. k_symbol says
 * what a payment was for and wins; the operation says how money moved; without either the direction
 * (PRIJEM credit, VYDAJ/VYBER debit) leaves a transfer. Only cash operations have a known channel: a cash
 * deposit or withdrawal at the counter, a card withdrawal at an ATM; transfers, interest and fees do not say.
 */
export function berkaTransaction(operation: string, kSymbol: string, direction: string): { type: string; channel: string | null } {
  const op = operation.trim().toUpperCase();
  const purpose = BERKA_K_SYMBOLS[kSymbol.trim().toUpperCase()];
  const channel = BERKA_CHANNELS[op] ?? null;
  if (purpose) return { type: purpose, channel };
  const byOperation = BERKA_OPERATIONS[op];
  if (byOperation) return { type: byOperation, channel };
  return { type: direction.trim().toUpperCase() === 'PRIJEM' ? 'transfer_in' : 'transfer_out', channel };
}

/** k_symbol: POJISTNE insurance, SLUZBY statement fee, UROK interest, SANKC. UROK penalty interest, SIPO household, DUCHOD pension, UVER loan. */
export const BERKA_K_SYMBOLS: Readonly<Record<string, string>> = {
  UROK: 'interest',
  'SANKC. UROK': 'fee',
  SLUZBY: 'fee',
  POJISTNE: 'insurance_pay',
  SIPO: 'bill_pay',
  UVER: 'loan_repay',
  // An old-age pension is paid in like a salary (代发养老金): passive, not the customer's own activity.
  DUCHOD: 'salary',
};

/** operation: VKLAD cash credit, VYBER cash withdrawal, VYBER KARTOU card withdrawal, PREVOD Z UCTU / NA UCET transfers in / out. */
export const BERKA_OPERATIONS: Readonly<Record<string, string>> = {
  VKLAD: 'cash_deposit',
  VYBER: 'withdraw',
  'VYBER KARTOU': 'withdraw',
  'PREVOD Z UCTU': 'transfer_in',
  'PREVOD NA UCET': 'transfer_out',
};

const BERKA_CHANNELS: Readonly<Record<string, string>> = { VKLAD: 'counter', VYBER: 'counter', 'VYBER KARTOU': 'atm' };
