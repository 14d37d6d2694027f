/** Messages between parallel.ts and feature-worker.ts. */
import type { FeatureKey } from '../../../../shared/analytics';
import type { CustomerRange, PassInputs } from './pass';
import type { Source } from './passes';
import type { SourceAvailability } from './types';

export interface FeatureJob {
  path: string;
  /** The workspace's passphrase when it is encrypted: passed in memory to the thread's own connection. */
  passphrase?: string | undefined;
  asOf: string;
  frequencyMonths: number;
  /** The block's customers, in customer_id order, and the range that selects exactly them. */
  ids: string[];
  range: CustomerRange;
  available: SourceAvailability;
  /** Int32Array view: element 0 becomes 1 when the run is cancelled. */
  cancelFlag: SharedArrayBuffer;
}

export type FeatureWorkerMessage =
  | { kind: 'progress'; fraction: number }
  | { kind: 'done'; columns: Partial<Record<FeatureKey, Float64Array>>; inputs: PassInputs; timings: Record<Source, number> }
  | { kind: 'error'; message: string; stack: string | null };
