/**
 * A merge join over row streams that SQLite returns in customer_id order: the overview walks customers
 * once and takes each customer's aggregated balances, holdings and scores as their streams come past,
 * without holding any of them in memory.
 */

/** SQLite's BINARY order of TEXT (UTF-8 bytes, i.e. code points); JS `<` compares UTF-16 units instead. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points from U+10000) rank above U+E000–U+FFFF, as they do in UTF-8. */
const codePointRank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

export class OrderedStream<T extends readonly unknown[]> {
  private head: T | undefined;

  constructor(private readonly rows: IterableIterator<T>) {
    this.head = this.next();
  }

  /** The row keyed `id` (its first column), or undefined; rows keyed before `id` are skipped. */
  take(id: string): T | undefined {
    while (this.head !== undefined) {
      const key = this.head[0] as string;
      if (key === id) {
        const row = this.head;
        this.head = this.next();
        return row;
      }
      if (compareText(key, id) > 0) return undefined;
      this.head = this.next();
    }
    return undefined;
  }

  /** Ends the statement early (better-sqlite3 keeps a statement busy until its iterator is done). */
  close(): void {
    this.rows.return?.();
  }

  private next(): T | undefined {
    const step = this.rows.next();
    return step.done ? undefined : step.value;
  }
}
