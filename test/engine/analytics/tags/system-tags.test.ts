/** The system tag catalogue itself: size, categories, stable ids, and every DSL definition valid. */
import { describe, expect, it } from 'vitest';
import { SYSTEM_TAGS, TAG_CATEGORIES, type TagContext } from '../../../../electron/engine/analytics/tags/system-tags';
import { validateRule } from '../../../../shared/rule-compiler';
import { customerFieldCatalog } from '../../../../shared/rule-fields';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';

const ctx: TagContext = { asOf: '2024-06-30', settings: DEFAULT_SETTINGS, runId: 7, churnRunId: 7, features: true };

describe('system tags', () => {
  it('has at least 40 tags covering all 8 categories of issue #4', () => {
    expect(SYSTEM_TAGS.length).toBeGreaterThanOrEqual(40);
    expect([...TAG_CATEGORIES]).toEqual(['基础属性', '资产', '行为', '渠道偏好', '产品持有', '风险', '生命周期', '价值']);
    for (const category of TAG_CATEGORIES) expect(SYSTEM_TAGS.filter((t) => t.category === category).length, category).toBeGreaterThanOrEqual(3);
  });

  it('has unique stable ids and unique Chinese names', () => {
    const ids = SYSTEM_TAGS.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^sys\.[a-z0-9_]+$/);
    const names = SYSTEM_TAGS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tag of SYSTEM_TAGS) {
      expect(tag.name).toMatch(/[\u4e00-\u9fff]/);
      expect(tag.description(ctx)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('includes the tags issue #4 names', () => {
    const names = new Set(SYSTEM_TAGS.map((t) => t.name));
    for (const name of ['代发工资客户', '有房贷', '手机银行活跃', '近三月资产下降', '理财到期未续', '老年客户', '青年客户', '新开户客户', '小微企业主', '高净值客户', '资产提升', '偏好柜面', 'ATM常用', '沉睡客户', '流失风险', '有投诉', '风险测评过期', '保守/稳健型客户', '成长/进取型客户', '多产品客户', '单一产品客户', '有消费贷', '信用卡客户', '理财客户', '基金客户', '保险客户', '养老金客户', '重要价值客户', '重要挽留客户', '成长期客户', '衰退期客户']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it('writes most tags in the DSL, and every DSL rule validates over a catalog with features and scores', () => {
    const catalog = customerFieldCatalog({ featureRunId: 7, scoreRunId: 7, tagRunId: 7, asOf: ctx.asOf });
    const rules = SYSTEM_TAGS.filter((t) => t.definition.kind === 'rule');
    expect(rules.length).toBeGreaterThan(SYSTEM_TAGS.length / 2);
    for (const tag of rules) {
      if (tag.definition.kind !== 'rule') continue;
      expect(validateRule(tag.definition.rule(ctx), catalog), tag.id).toEqual([]);
    }
  });

  it('takes thresholds from the settings and windows from the as-of date', () => {
    const expired = SYSTEM_TAGS.find((t) => t.id === 'sys.risk_expired')!;
    if (expired.definition.kind !== 'rule') throw new Error('expected a rule');
    const settings = { ...DEFAULT_SETTINGS, suitability: { ...DEFAULT_SETTINGS.suitability, riskAssessmentValidMonths: 24 } };
    expect(JSON.stringify(expired.definition.rule({ ...ctx, settings }))).toContain('2022-06-30');
    expect(expired.description({ ...ctx, settings })).toContain('24 个月');
    const sql = SYSTEM_TAGS.filter((t) => t.definition.kind === 'sql');
    for (const tag of sql) {
      if (tag.definition.kind !== 'sql') continue;
      const fragment = tag.definition.predicate(ctx);
      // Parameterised: placeholders and bound values agree, and no value is spliced into the text.
      expect((fragment.sql.match(/\?/g) ?? []).length, tag.id).toBe(fragment.params.length);
      expect(fragment.sql, tag.id).not.toContain(ctx.asOf);
    }
  });
});
