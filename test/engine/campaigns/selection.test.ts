/** The pure steps of a campaign's list: ordered exclusions, the stratified holdout, allocation under a cap. */
import { describe, expect, it } from 'vitest';
import { allocate, type Ranked } from '../../../electron/engine/campaigns/allocation';
import { applyExclusions } from '../../../electron/engine/campaigns/exclusions';
import { drawHoldout, stratumOf } from '../../../electron/engine/campaigns/holdout';
import { periodBounds } from '../../../electron/engine/campaigns/universal-control';

describe('exclusions', () => {
  const audience = Array.from({ length: 10 }, (_, i) => ({ id: `C${i}`, dnc: i < 2, consent: i !== 2 && i !== 3, recent: i === 3 || i === 4 }));

  it('count each customer once, at the first step that removes them, so the waterfall adds up', () => {
    const { kept, steps } = applyExclusions(
      audience,
      { do_not_contact: (c) => c.dnc, no_consent: (c) => !c.consent, recent_contact: (c) => c.recent },
      { days: 30, max: 2 },
      1,
    );
    expect(steps.map((s) => [s.key, s.label, s.excluded, s.remaining])).toEqual([
      ['unknown_customer', '排除客户号不存在', 1, 10],
      ['do_not_contact', '排除勿扰', 2, 8],
      ['no_consent', '排除未同意营销', 2, 6],
      ['recent_contact', '排除 30 天内已联系', 1, 5],
    ]);
    expect(kept.map((c) => c.id)).toEqual(['C5', 'C6', 'C7', 'C8', 'C9']);
  });
});

describe('holdout', () => {
  const eligible = Array.from({ length: 1000 }, (_, i) => ({ id: `C${String(i).padStart(4, '0')}`, stratum: stratumOf(`RM${i % 7}`, ['mass', 'affluent', 'wealth'][i % 3]!) }));

  it('holds out round(share × eligible), within one of the share in every stratum, the same for the same seed', () => {
    const control = drawHoldout(eligible, 0.1, 42);
    expect(control.size).toBe(100);
    const byStratum = new Map<string, { n: number; held: number }>();
    for (const c of eligible) {
      const s = byStratum.get(c.stratum) ?? { n: 0, held: 0 };
      s.n++;
      if (control.has(c.id)) s.held++;
      byStratum.set(c.stratum, s);
    }
    for (const s of byStratum.values()) expect(Math.abs(s.held - 0.1 * s.n)).toBeLessThanOrEqual(1);
    expect([...drawHoldout(eligible, 0.1, 42)].sort()).toEqual([...control].sort());
    expect([...drawHoldout(eligible, 0.1, 43)].sort()).not.toEqual([...control].sort());
  });
});

describe('allocation', () => {
  const ranked: Ranked[] = Array.from({ length: 50 }, (_, i) => ({ id: `C${String(i).padStart(2, '0')}`, managerId: i < 30 ? 'RM1' : i < 45 ? 'RM2' : null, score: 100 - i }));
  const control = new Set(['C01', 'C05', 'C25', 'C40', 'C47']);

  it("keeps each manager's best-ranked targets up to the cap and the controls ranked within that range", () => {
    const { members, managers } = allocate(ranked, control, 10, { arms: false, seed: 1 });
    const rm1 = members.filter((m) => m.managerId === 'RM1');
    expect(rm1.filter((m) => m.group === 'target')).toHaveLength(10);
    // C01 and C05 rank inside RM1's first 12; C25 ranks below the cap and drops out with the targets there
    // (as C40 does for RM2, whose 10th target C39 ranks above it).
    expect(rm1.filter((m) => m.group === 'control').map((m) => m.id)).toEqual(['C01', 'C05']);
    expect(managers).toEqual([
      { managerId: 'RM1', eligible: 30, target: 10, control: 2, overCap: 18 },
      { managerId: 'RM2', eligible: 15, target: 10, control: 0, overCap: 5 },
      { managerId: null, eligible: 5, target: 4, control: 1, overCap: 0 },
    ]);
    expect(members.filter((m) => m.group === 'target').every((m) => !control.has(m.id))).toBe(true);
  });

  it('splits targets between two arms at random, half and half per manager', () => {
    const { members } = allocate(ranked, new Set(), 100, { arms: true, seed: 7 });
    const rm1 = members.filter((m) => m.managerId === 'RM1');
    expect(rm1.filter((m) => m.arm === 'A')).toHaveLength(15);
    expect(rm1.filter((m) => m.arm === 'B')).toHaveLength(15);
    // Not simply alternating by rank.
    expect(rm1.slice(0, 10).map((m) => m.arm).join('')).not.toBe('ABABABABAB');
  });
});

describe('universal control periods', () => {
  it('align to the calendar: quarters by default', () => {
    expect(periodBounds('2026-12-06', 3)).toEqual({ startsOn: '2026-10-01', endsOn: '2026-12-31' });
    expect(periodBounds('2026-02-10', 1)).toEqual({ startsOn: '2026-02-01', endsOn: '2026-02-28' });
    expect(periodBounds('2026-08-31', 6)).toEqual({ startsOn: '2026-07-01', endsOn: '2026-12-31' });
  });
});
