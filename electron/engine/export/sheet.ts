/** What the export writers take: columns with Chinese labels and cell kinds, and rows of plain values. */

export type CellKind = 'text' | 'integer' | 'number' | 'money' | 'date' | 'share';

export interface SheetColumn {
  readonly label: string;
  readonly kind: CellKind;
}

export type Cell = string | number | null;

export interface SheetWriter {
  /** Appends rows; resolves when the file stream can take more. */
  write(rows: readonly (readonly Cell[])[]): Promise<void>;
  /** Finishes the file. `notes` (label, value) go to a second sheet where the format has sheets. */
  finish(notes: readonly (readonly [string, string])[]): Promise<void>;
  /** Closes the file after a failure or cancellation; the caller deletes it. */
  abort(): Promise<void>;
}
