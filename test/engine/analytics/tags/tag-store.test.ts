/**
 * The tag screen's operations on a real workspace: the list with coverage before and after a tag run,
 * user rule tags validated, saved, evaluated at once and deleted, and system tags refusing deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTags } from '../../../../electron/engine/analytics/tags/compute-tags';
import { SYSTEM_TAGS } from '../../../../electron/engine/analytics/tags/system-tags';
import { deleteTag, listTags, saveRuleTag } from '../../../../electron/engine/analytics/tags/tag-store';
import { listAudit } from '../../../../electron/engine/audit';
import { standaloneJobContext } from '../../../../electron/engine/context';
import { customerCount } from '../../../../electron/engine/customers/customer-list';
import { EngineError } from '../../../../electron/engine/errors';
import type { RuleNode } from '../../../../shared/rules';
import { seedCustomers, tempWorkspace, type TempWorkspace } from '../../customers/fixture';
import { insertAnalysisRun } from '../support/analysis-fixture';

const AS_OF = '2024-06-30';
const COUNT = 400;

describe('tag store', () => {
  let ws: TempWorkspace;
  const ctx = () => standaloneJobContext(ws.db);
  const save = (name: string, rule: RuleNode, category = '自定义') => saveRuleTag(ctx(), { name, category, rule });

  beforeAll(() => {
    ws = tempWorkspace();
    seedCustomers(ws.db, COUNT);
  });
  afterAll(() => ws.close());

  it('lists the system tags with zero coverage before any tag run', () => {
    const tags = listTags(ws.db);
    expect(tags).toHaveLength(SYSTEM_TAGS.length);
    expect(tags.every((t) => t.kind === 'system' && t.customers === 0 && t.coverage === 0)).toBe(true);
    expect(tags[0]!.category).toBe('基础属性');
  });

  it('shows coverage of the latest tag run', () => {
    const { runId } = insertAnalysisRun(ws.db, AS_OF);
    const result = evaluateTags(ws.db, runId, AS_OF);
    const tags = listTags(ws.db);
    const senior = tags.find((t) => t.tagId === 'sys.senior')!;
    expect(senior.customers).toBe(result.counts['sys.senior']);
    expect(senior.customers).toBeGreaterThan(0);
    expect(senior.coverage).toBeCloseTo(senior.customers / result.population, 10);
    expect(senior.rule).toEqual({ field: 'age', op: '>=', value: 60 });
    expect(tags.find((t) => t.tagId === 'sys.mortgage')!.rule).toBeNull();
  });

  it('saves a rule tag and evaluates it at once for the latest run', async () => {
    const rule: RuleNode = { all: [{ field: 'tag', op: 'has_tag', value: '老年客户' }, { field: 'gender', op: '=', value: '女' }] };
    const tag = await save('老年女性', rule, '基础属性');
    expect(tag).toMatchObject({ tagId: 'user.1', name: '老年女性', category: '基础属性', kind: 'rule', rule });
    const expected = ws.db.prepare("SELECT count(*) FROM customer_tags ct JOIN customers c USING (customer_id) WHERE ct.tag_id = 'sys.senior' AND c.gender = 'F'").pluck().get() as number;
    expect(expected).toBeGreaterThan(0);
    expect(tag.customers).toBe(expected);
    expect(listTags(ws.db).find((t) => t.tagId === 'user.1')!.customers).toBe(expected);
    expect(listAudit(ws.db, 0, 1).entries[0]).toMatchObject({ action: 'tags.save', rowCount: expected });
    // The tag is a rule field now: the customer list filters on it.
    expect(customerCount(ws.db, { filter: { field: 'tag', op: 'has_tag', value: '老年女性' } })).toBe(expected);
  });

  it('rejects invalid rules and taken names in Chinese', async () => {
    await expect(save('坏规则', { field: 'no_such_field', op: '=', value: 1 })).rejects.toThrow(/规则有误：规则：字段“no_such_field”不存在或不允许筛选/);
    await expect(save('坏取值', { field: 'age', op: '>=', value: '很老' })).rejects.toThrow(/“年龄”是数字字段/);
    await expect(save('老年客户', { field: 'age', op: '>=', value: 65 })).rejects.toThrow(/已有名为“老年客户”的标签/);
    await expect(save('老年女性', { field: 'age', op: '>=', value: 65 })).rejects.toThrow(/请换一个名称/);
  });

  it('is evaluated again by later tag runs, after the tags it names', () => {
    const { runId } = insertAnalysisRun(ws.db, AS_OF);
    const result = evaluateTags(ws.db, runId, AS_OF);
    expect(result.skipped).toEqual([]);
    expect(result.counts['user.1']).toBe(listTags(ws.db).find((t) => t.tagId === 'user.1')!.customers);
    expect(result.counts['user.1']).toBeGreaterThan(0);
  });

  it('refuses to delete system tags and tags other rules name', async () => {
    expect(() => deleteTag(ws.db, 'sys.senior')).toThrow(/“老年客户”是系统标签，不能删除/);
    await save('老年女性高净值', { all: [{ field: 'tag', op: 'has_tag', value: 'user.1' }, { field: 'value_tier', op: 'in', value: ['wealth', 'private'] }] });
    expect(() => deleteTag(ws.db, 'user.1')).toThrow(/被标签“老年女性高净值”的规则引用/);
    expect(() => deleteTag(ws.db, 'user.99')).toThrow(EngineError);
  });

  it('deletes a user rule tag with its assignments, and audits it', () => {
    deleteTag(ws.db, 'user.2');
    deleteTag(ws.db, 'user.1');
    expect(listTags(ws.db).some((t) => t.kind === 'rule')).toBe(false);
    expect(ws.db.prepare("SELECT count(*) FROM customer_tags WHERE tag_id LIKE 'user.%'").pluck().get()).toBe(0);
    expect(ws.db.prepare("SELECT count(*) FROM tag_coverage WHERE tag_id LIKE 'user.%'").pluck().get()).toBe(0);
    expect(listAudit(ws.db, 0, 1).entries[0]).toMatchObject({ action: 'tags.delete', params: { tagId: 'user.1', name: '老年女性' } });
  });
});
