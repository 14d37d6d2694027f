/**
 * "Never throws" (issue #15 §1.6): a rule nested 10,000 deep used to throw RangeError out of
 * EngineHost.invoke and the IPC dispatch, because validation ran outside their `try`. Now the depth is
 * bounded before any recursion, validation cannot throw, and every channel answers hostile payloads with an
 * envelope. A seeded property test runs random nested rules through validation and the real customer count.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, parseRequest, type Envelope } from '../../../shared/api';
import { RULE_OPERATORS, exceedsRuleBounds, ruleSchema, type RuleNode } from '../../../shared/rules';
import { customerFieldCatalog } from '../../../shared/rule-fields';
import { RuleError } from '../../../shared/rule-compiler';
import { Random } from '../../../shared/random';
import { customerCount } from '../../../electron/engine/customers/customer-list';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineError } from '../../../electron/engine/errors';
import { EngineHost } from '../../../electron/engine/host';
import { tempDir } from '../../support/temp';

vi.mock('electron', async () => (await import('../../main/fake-electron')).electronModule);
const { dispatch } = await import('../../../electron/main/ipc');

const dir = tempDir();

function nested(depth: number): RuleNode {
  let rule: RuleNode = { field: 'gender', op: '=', value: 'F' };
  for (let i = 0; i < depth; i++) rule = i % 3 === 0 ? { not: rule } : { all: [rule] };
  return rule;
}

/** Payloads built to break a validator: deep nesting, a cycle, getters that throw, a proxy that lies. */
function buildHostilePayloads(): unknown[] {
  const cyclic: Record<string, unknown> = { field: 'gender', op: '=' };
  cyclic.all = [cyclic];
  const throwing = Object.defineProperty({}, 'filter', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys exploded');
      },
    },
  );
  return [
    { filter: nested(10_000) },
    { rule: nested(10_000) },
    { filter: cyclic },
    { filter: { all: Array.from({ length: 5_000 }, () => ({ field: 'age', op: '>', value: 1 })) } },
    throwing,
    proxy,
    { path: nested(2_000) },
  ];
}

const HOSTILE = buildHostilePayloads();
const hostilePayloads = () => HOSTILE;

describe('the rule schema', () => {
  it('refuses a rule nested 10,000 deep with a message instead of RangeError', () => {
    const result = ruleSchema.safeParse(nested(10_000));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toContain('嵌套超过 12 层');
    expect(ruleSchema.safeParse(nested(800)).success).toBe(false);
    expect(ruleSchema.safeParse(nested(11)).success).toBe(true);
  });

  it('bounds depth and size without recursion, cycles included', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.not = cyclic;
    expect(exceedsRuleBounds(cyclic)).toBe(true);
    expect(exceedsRuleBounds(nested(100_000))).toBe(true);
    expect(exceedsRuleBounds({ any: Array.from({ length: 100_000 }, () => ({})) })).toBe(true);
    expect(exceedsRuleBounds(nested(11))).toBe(false);
  });
});

describe('validation of every channel', () => {
  it('never throws, whatever the payload', () => {
    for (const channel of CHANNEL_NAMES) {
      for (const payload of hostilePayloads()) {
        const result = parseRequest(channel, payload);
        expect(result.ok, channel).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('invalid_request');
      }
    }
  });
});

describe('EngineHost.invoke and the IPC dispatch', () => {
  let host: EngineHost;
  beforeAll(() => {
    host = new EngineHost({ log: () => {}, fileAccess: 'granted' });
  });
  afterAll(async () => {
    await host.close();
  });

  it('answer every channel with an envelope for hostile payloads', async () => {
    for (const channel of CHANNEL_NAMES) {
      for (const payload of hostilePayloads()) {
        const envelope = await host.invoke(channel, payload);
        expect(envelope.ok, channel).toBe(false);
      }
    }
    expect(await host.invoke({ toString: () => { throw new Error('x'); } }, {})).toMatchObject({ ok: false });
  });

  it('the main process dispatch too, before and after validation', async () => {
    const engine = { invoke: vi.fn(async (): Promise<Envelope<unknown>> => { throw new Error('engine exploded'); }), onEvent: vi.fn(() => () => undefined) };
    const options = { engine, getWindow: () => null, appChannels: {} as never };
    for (const payload of hostilePayloads()) {
      expect(await dispatch('customers.count', payload, options)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(await dispatch('customers.count', {}, options)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('random nested rules (property test, seeded)', () => {
  let db: Db;
  beforeAll(() => {
    db = openWorkspace(join(dir, 'rules.bpw'), { create: true });
    db.prepare("INSERT INTO customers (customer_id, name, gender, birth_date) VALUES ('C1', '张三', 'M', '1980-01-01'), ('C2', '李红', 'F', '1990-05-05')").run();
  });
  afterAll(() => db.close());

  const fields = Object.keys(customerFieldCatalog({ featureRunId: null, scoreRunId: null, tagRunId: null, asOf: '2024-06-30' }).fields);

  function randomValue(rng: Random): unknown {
    switch (rng.int(8)) {
      case 0:
        return rng.intBetween(-1000, 1_000_000);
      case 1:
        return ['F', 'M', '女', '2024-01-01', "'; DROP TABLE customers;--", '%_\\', ''][rng.int(7)];
      case 2:
        return Array.from({ length: rng.int(5) }, () => randomValue(rng));
      case 3:
        return null;
      case 4:
        return rng.bernoulli(0.5);
      case 5:
        return { nested: true };
      case 6:
        return Number.NaN;
      default:
        return undefined;
    }
  }

  function randomRule(rng: Random, depth: number): unknown {
    const roll = rng.int(10);
    if (depth > 0 && roll < 3) return { [rng.bernoulli(0.5) ? 'all' : 'any']: Array.from({ length: rng.int(4) }, () => randomRule(rng, depth - 1)) };
    if (depth > 0 && roll < 5) return { not: randomRule(rng, depth - 1) };
    if (roll === 9) return rng.bernoulli(0.5) ? 'not a rule' : { all: 'nope', any: [] };
    const field = rng.bernoulli(0.9) ? fields[rng.int(fields.length)] : `x${rng.int(100)}`;
    const op = rng.bernoulli(0.9) ? RULE_OPERATORS[rng.int(RULE_OPERATORS.length)] : 'LIKE';
    return { field, op, value: randomValue(rng) };
  }

  it('2,000 rules up to 20 deep: refused as invalid, or counted, or a rule error in Chinese; never anything else', () => {
    const rng = new Random(20240615);
    const outcomes = { invalid: 0, counted: 0, ruleError: 0 };
    for (let i = 0; i < 2_000; i++) {
      const rule = randomRule(rng, rng.int(21));
      const parsed = parseRequest('customers.count', { filter: rule });
      if (!parsed.ok) {
        expect(parsed.error.code).toBe('invalid_request');
        outcomes.invalid++;
        continue;
      }
      try {
        const n = customerCount(db, parsed.data);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThanOrEqual(2);
        outcomes.counted++;
      } catch (error) {
        expect(error instanceof RuleError || error instanceof EngineError, String(error)).toBe(true);
        expect((error as Error).message).toMatch(/[\u4e00-\u9fff]/);
        outcomes.ruleError++;
      }
    }
    expect((db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(2);
    // Each outcome happens often enough for the test to mean something.
    for (const [outcome, n] of Object.entries(outcomes)) expect(n, outcome).toBeGreaterThan(100);
  });
});
