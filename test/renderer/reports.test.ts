/** The report screen's choices: what a link's query selects, the spec it makes, where the files go. */
import { describe, expect, it } from 'vitest';
import type { LocationQuery } from 'vue-router';
import { reportSpecSchema } from '../../shared/reports';
import { formFromQuery, siblingPaths, specOf } from '../../renderer/src/features/reports/report-form';

describe('report form', () => {
  it('reads the group portrait’s link: a segment, a tag or a rule with its title', () => {
    expect(specOf(formFromQuery({ kind: 'group', segment: '3' }))).toEqual({ kind: 'group', segmentId: 3 });
    expect(specOf(formFromQuery({ kind: 'group', tag: 'sys.dormant' }))).toEqual({ kind: 'group', tagId: 'sys.dormant' });
    const rule = { field: 'value_tier', op: 'in', value: ['wealth', 'private'] };
    expect(specOf(formFromQuery({ kind: 'group', rule: JSON.stringify(rule), title: '财富及私行' }))).toEqual({ kind: 'group', rule, title: '财富及私行' });
  });

  it('makes no spec for a group report without a group, and valid specs otherwise', () => {
    expect(specOf(formFromQuery({ kind: 'group' }))).toBeNull();
    const queries: LocationQuery[] = [{}, { kind: 'churn' }, { kind: 'branch', variant: 'monthly' }, { kind: 'community' }, { kind: 'campaign' }, { kind: 'nonsense' }];
    for (const query of queries) {
      const spec = specOf(formFromQuery(query));
      expect(reportSpecSchema.safeParse(spec).success, JSON.stringify(query)).toBe(true);
    }
    expect(specOf(formFromQuery({}))).toEqual({ kind: 'branch', variant: 'weekly' });
  });

  it('saves every format beside the file the analyst chose', () => {
    expect(siblingPaths('D:\\报告\\周报.pdf', ['pdf', 'xlsx', 'pptx'])).toEqual({ pdf: 'D:\\报告\\周报.pdf', xlsx: 'D:\\报告\\周报.xlsx', pptx: 'D:\\报告\\周报.pptx' });
    expect(siblingPaths('/home/a/月报', ['xlsx'])).toEqual({ xlsx: '/home/a/月报.xlsx' });
  });
});
