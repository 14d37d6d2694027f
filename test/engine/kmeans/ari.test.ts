import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../electron/engine/analytics/kmeans';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under any label names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex(Int32Array.from([2, 2, 5, 9]), [7, 7, 0, 3])).toBe(1);
  });

  it('matches hand-computed values', () => {
    // a = [0,0,1,2], b = [0,0,1,1]: contingency cells (0,0)=2, (1,1)=1, (2,1)=1.
    // Σ C(cell,2) = 1; rows 2,1,1 → 1; columns 2,2 → 2; C(4,2) = 6.
    // expected = 1·2/6 = 1/3, max = (1+2)/2 = 3/2 → ARI = (1 − 1/3) / (3/2 − 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 12);
    // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: cells 2,1,1,2 → Σ = 2; rows 3,3 → 6; cols 2,2,2 → 3; C(6,2) = 15.
    // expected = 6·3/15 = 6/5, max = 9/2 → ARI = (2 − 6/5) / (9/2 − 6/5) = (4/5) / (33/10) = 8/33.
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 12);
  });

  it('is negative when the partitions disagree more than chance', () => {
    // Cells all 1 → Σ = 0; rows 2,2,2,2 → 4; cols 4,4 → 12; C(8,2) = 28.
    // expected = 48/28 = 12/7, max = 8 → ARI = (0 − 12/7) / (8 − 12/7) = −12/44 = −3/11.
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2, 3, 3], [0, 1, 0, 1, 0, 1, 0, 1])).toBeCloseTo(-3 / 11, 12);
  });

  it('treats two trivial partitions as identical, and one trivial against another split as 0', () => {
    expect(adjustedRandIndex([0, 0, 0], [1, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2], [3, 4, 5])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2, 3], [0, 0, 0, 0])).toBe(0);
  });

  it('rejects labelings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0, 1, 1])).toThrow(/长度不同/);
  });
});
