import type { EntityKey } from '../../../shared/dictionary';
import type { Random } from '../../../shared/random';
import { headerOf } from './headers';
import { streamRandom } from './seeds';

export type DefectKind = 'bad_date' | 'duplicate_key' | 'ragged_row' | 'text_in_number';

export interface PlantedDefect {
  entity: EntityKey;
  file: string;
  /** Spreadsheet row: the header is row 1, the first data row 2. */
  row: number;
  /** Header text of the bad cell; null when the fault is the row itself (ragged) or a compound key. */
  column: string | null;
  kind: DefectKind;
  /** The offending text as written (for a duplicate: the repeated key). */
  value: string;
}

/**
 * --dirty: salts a few rows of the big extracts with the faults real exports have, so the import error
 * report has something to show. Every fault is recorded with its row number.
 *
 * Faults are spread over customers.csv, transactions.csv and balances.csv. Only the customers file has
 * dependants: a customer row the importer rejects takes that customer's holdings, balances, transactions,
 * interactions and campaign rows with it as foreign-key failures. To keep that cascade small, a bad date in
 * customers.csv goes to a customer opened in the last six months (a few months of rows), and a duplicate
 * customer row is an extra copy after an intact original. Faults in transactions and balances cascade
 * nowhere: at most the one row is lost.
 */
type Salted = 'customers' | 'transactions' | 'balances';

interface Planned {
  readonly kind: DefectKind;
  readonly target: number;
  readonly variant: number;
}

const COUNTS: readonly (readonly [Salted, DefectKind, number])[] = [
  ['customers', 'bad_date', 2],
  ['customers', 'duplicate_key', 2],
  ['transactions', 'bad_date', 3],
  ['transactions', 'duplicate_key', 2],
  ['transactions', 'ragged_row', 1],
  ['transactions', 'text_in_number', 2],
  ['balances', 'bad_date', 1],
  ['balances', 'duplicate_key', 1],
  ['balances', 'ragged_row', 1],
  ['balances', 'text_in_number', 2],
];

const CHINESE_DIGITS = '〇一二三四五六七八九';

/** 1234567.5 → 1,234,567.5: how a person's spreadsheet formats it, fatal in an unquoted CSV cell. */
function withThousands(amount: string): string {
  const [whole, fraction] = amount.split('.');
  const grouped = (whole ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? `${grouped}.00` : `${grouped}.${fraction.padEnd(2, '0')}`;
}

export interface SaltContext {
  /** Customer opened within the last six months (few dependent rows). */
  readonly newCustomer: boolean;
}

export class DefectPlanter {
  readonly defects: PlantedDefect[] = [];
  private readonly queues: Record<Salted, Planned[]> = { customers: [], transactions: [], balances: [] };
  private readonly random: Random;

  constructor(
    seed: number,
    customers: number,
    private readonly files: Readonly<Record<Salted, string>>,
  ) {
    this.random = streamRandom(seed, 'defects');
    const used = new Set<number>();
    for (const [entity, kind, count] of COUNTS) {
      for (let k = 0; k < count; k++) {
        let target = this.random.int(customers);
        for (let tries = 0; used.has(target) && tries < 100; tries++) target = this.random.int(customers);
        used.add(target);
        this.queues[entity].push({ kind, target, variant: k });
      }
    }
    for (const queue of Object.values(this.queues)) queue.sort((a, b) => a.target - b.target);
  }

  /** Faults still waiting for a customer they fit (only when the customer count is tiny). */
  get unplanted(): number {
    return this.queues.customers.length + this.queues.transactions.length + this.queues.balances.length;
  }

  /**
   * Salts one customer's lines of one file, at most one fault per customer and file. A fault whose target
   * customer has no suitable row waits for the next customer that has one. `firstRow` is the spreadsheet
   * row the first line will land on.
   */
  salt(entity: Salted, customerIndex: number, lines: string[], firstRow: number, context: SaltContext): void {
    const queue = this.queues[entity];
    const next = queue[0];
    if (!next || next.target > customerIndex || !lines.length) return;
    const defect = this.apply(entity, next, lines, firstRow, context);
    if (!defect) return;
    queue.shift();
    this.defects.push(defect);
  }

  private apply(entity: Salted, planned: Planned, lines: string[], firstRow: number, context: SaltContext): PlantedDefect | null {
    const file = this.files[entity];
    const record = (k: number, column: string | null, kind: DefectKind, value: string): PlantedDefect => ({ entity, file, row: firstRow + k, column, kind, value });
    const random = this.random;
    const pick = () => random.int(lines.length);
    const cellsOf = (k: number) => (lines[k] as string).split(',');

    switch (`${entity}:${planned.kind}`) {
      case 'customers:bad_date': {
        if (!context.newCustomer) return null;
        const cells = cellsOf(0);
        const field = planned.variant % 2 === 0 ? 'birth_date' : 'open_date';
        const index = field === 'birth_date' ? 3 : 13;
        const date = cells[index] as string;
        const value = field === 'birth_date' ? `${date.slice(0, 4)}/13/${date.slice(8, 10)}` : `${[...date.slice(0, 4)].map((c) => CHINESE_DIGITS[Number(c)]).join('')}年`;
        cells[index] = value;
        lines[0] = cells.join(',');
        return record(0, headerOf('customers', field), 'bad_date', value);
      }
      case 'customers:duplicate_key': {
        // The same customer again from a second source system, with another mobile number.
        const cells = cellsOf(0);
        const mobile = cells[5] as string;
        cells[5] = mobile.slice(0, 7) + String((Number(mobile.slice(7)) + 1 + random.int(9000)) % 10_000).padStart(4, '0');
        lines.splice(1, 0, cells.join(','));
        return record(1, headerOf('customers', 'customer_id'), 'duplicate_key', cells[0] as string);
      }
      case 'transactions:bad_date': {
        const k = pick();
        const cells = cellsOf(k);
        const date = cells[2] as string;
        const year = date.slice(0, 4);
        const value = [`${year}-02-30`, `${year}-04-31`, `${year}/13/${date.slice(8, 10)}`][planned.variant % 3] as string;
        cells[2] = value;
        lines[k] = cells.join(',');
        return record(k, headerOf('transactions', 'txn_date'), 'bad_date', value);
      }
      case 'transactions:duplicate_key': {
        // Two postings under one serial number, as when two channels' serial ranges collide.
        if (lines.length < 2) return null;
        const k = 1 + random.int(lines.length - 1);
        const cells = cellsOf(k);
        const id = cellsOf(k - 1)[0] as string;
        cells[0] = id;
        lines[k] = cells.join(',');
        return record(k, headerOf('transactions', 'txn_id'), 'duplicate_key', id);
      }
      case 'transactions:ragged_row':
      case 'balances:ragged_row': {
        const column = entity === 'transactions' ? 5 : 2;
        const k = lines.findIndex((line) => Number(line.split(',')[column]) >= 1000);
        if (k < 0) return null;
        const cells = cellsOf(k);
        const value = withThousands(cells[column] as string);
        cells[column] = value;
        lines[k] = cells.join(',');
        return record(k, null, 'ragged_row', value);
      }
      case 'transactions:text_in_number': {
        const k = pick();
        const cells = cellsOf(k);
        const amount = cells[5] as string;
        // A typed letter O for a zero, or the amount in words.
        const value = planned.variant % 2 === 0 && /\d0/.test(amount) ? amount.replace(/(\d)0/, '$1O') : '一千二';
        cells[5] = value;
        lines[k] = cells.join(',');
        return record(k, headerOf('transactions', 'amount'), 'text_in_number', value);
      }
      case 'balances:bad_date': {
        const k = pick();
        const cells = cellsOf(k);
        const value = `${(cells[1] as string).slice(0, 4)}-13`;
        cells[1] = value;
        lines[k] = cells.join(',');
        return record(k, headerOf('balances', 'month'), 'bad_date', value);
      }
      case 'balances:duplicate_key': {
        // The month-end extract appended twice.
        const k = pick();
        lines.splice(k + 1, 0, lines[k] as string);
        return record(k + 1, null, 'duplicate_key', cellsOf(k).slice(0, 2).join(','));
      }
      case 'balances:text_in_number': {
        const k = pick();
        const cells = cellsOf(k);
        const field = planned.variant % 2 === 0 ? 'aum' : 'deposit';
        const value = field === 'aum' ? '#VALUE!' : '一万二';
        cells[field === 'aum' ? 2 : 3] = value;
        lines[k] = cells.join(',');
        return record(k, headerOf('balances', field), 'text_in_number', value);
      }
      default:
        return null;
    }
  }
}
