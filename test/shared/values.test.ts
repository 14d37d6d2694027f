import { describe, expect, it } from 'vitest';
import { field } from '../../shared/dictionary';
import { ageOn, enumParser, INVALID, parseAmount, parseBoolean, parseDate, parseMonth, parseNumber, parseRatio, parserFor, type ParseFailure } from '../../shared/values';

const failure: ParseFailure = { message: '' };

describe('dates the bank-export way', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024-03-05 14:22:01', '2024-03-05'],
    [' 2024-3-5 ', '2024-03-05'],
    ['', null],
    ['--', null],
  ])('%s → %s', (raw, expected) => {
    expect(parseDate(raw, failure)).toBe(expected);
  });

  it.each(['2023/13/01', '2023-02-29', '二〇二三年', '2023-1', '45352'])('rejects %s with a hint', (raw) => {
    expect(parseDate(raw, failure)).toBe(INVALID);
    expect(failure.message).toContain('YYYY-MM-DD');
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parseDate('2024-02-29', failure)).toBe('2024-02-29');
    expect(parseDate('2100/2/29', failure)).toBe(INVALID);
  });

  it('reads months, and full dates as their month', () => {
    expect(parseMonth('2024-03', failure)).toBe('2024-03');
    expect(parseMonth('2024/3', failure)).toBe('2024-03');
    expect(parseMonth('202403', failure)).toBe('2024-03');
    expect(parseMonth('2024年3月', failure)).toBe('2024-03');
    expect(parseMonth('2024-03-31', failure)).toBe('2024-03');
    expect(parseMonth('2024-13', failure)).toBe(INVALID);
  });
});

describe('amounts', () => {
  it.each([
    ['1,234.50', 1234.5],
    ['¥1234.5', 1234.5],
    ['￥1,234', 1234],
    ['1.2万', 12000],
    ['3亿', 300_000_000],
    ['(1,234.00)', -1234],
    ['-56.7', -56.7],
    ['1234.5元', 1234.5],
    ['RMB 99', 99],
    ['', null],
    ['N/A', null],
  ])('%s → %s', (raw, expected) => {
    expect(parseAmount(raw, failure)).toBe(expected);
  });

  it.each(['一千二', '12O0.5', 'abc', '1.2.3'])('rejects %s', (raw) => {
    expect(parseAmount(raw, failure)).toBe(INVALID);
    expect(failure.message).toContain('金额');
  });

  it('applies a unit scale from the header', () => {
    expect(parseAmount('12.5', failure, 10_000)).toBe(125_000);
  });

  it('reads commas only as thousands separators: "3,2" is refused, not read as 32', () => {
    expect(parseAmount('1,234,567.89', failure)).toBe(1_234_567.89);
    expect(parseAmount('-12，345', failure)).toBe(-12_345);
    for (const raw of ['3,2', '12,34.5', '1,2345', ',123']) {
      expect(parseAmount(raw, failure)).toBe(INVALID);
      expect(failure.message).toContain('逗号不是千位分隔符');
      expect(parseNumber(raw, failure)).toBe(INVALID);
    }
  });
});

describe('enums and booleans', () => {
  const gender = enumParser(field('customers', 'gender')!);
  it.each([
    ['男', 'M'],
    ['女', 'F'],
    ['M', 'M'],
    ['f', 'F'],
    ['1', 'M'],
    ['2', 'F'],
  ])('gender %s → %s', (raw, code) => {
    expect(gender(raw, failure)).toBe(code);
  });

  it('rejects an unknown gender naming the allowed values', () => {
    expect(gender('未知的', failure)).toBe(INVALID);
    expect(failure.message).toContain('男');
  });

  it('maps risk levels written in words', () => {
    const risk = enumParser(field('customers', 'risk_level')!);
    expect(risk('稳健型', failure)).toBe('C2');
    expect(risk('c5', failure)).toBe('C5');
    const rating = enumParser(field('products', 'risk_rating')!);
    expect(rating('中高', failure)).toBe('R4');
  });

  it('keeps unknown transaction types (open enum) and maps known ones', () => {
    const type = enumParser(field('transactions', 'type')!);
    expect(type('代发工资', failure)).toBe('salary');
    expect(type('跨境汇款', failure)).toBe('跨境汇款');
  });

  it('reads yes/no in Chinese and English', () => {
    expect(parseBoolean('是', failure)).toBe(1);
    expect(parseBoolean('否', failure)).toBe(0);
    expect(parseBoolean('Y', failure)).toBe(1);
    expect(parseBoolean('maybe', failure)).toBe(INVALID);
  });

  it('reads shares as decimals or percents', () => {
    expect(parseRatio('23%', failure)).toBeCloseTo(0.23);
    expect(parseRatio('0.23', failure)).toBe(0.23);
  });
});

describe('range checks from the dictionary', () => {
  it('rejects a negative household count', () => {
    const parse = parserFor(field('communities', 'households')!);
    expect(parse('-3', failure)).toBe(INVALID);
    expect(failure.message).toContain('不能小于 0');
  });

  it('computes ages on a date', () => {
    expect(ageOn('1990-06-15', '2024-06-14')).toBe(33);
    expect(ageOn('1990-06-15', '2024-06-15')).toBe(34);
  });
});

describe('text cells', () => {
  it('refuses control characters, which are corruption rather than data', async () => {
    const { parseText } = await import('../../shared/values');
    expect(parseText('张\u0001三', failure)).toBe(INVALID);
    expect(failure.message).toContain('控制字符');
    expect(parseText('第一行\n第二行', failure)).toBe('第一行\n第二行');
  });
});

describe('hostile numbers and blank-like cells (issue #15 §1.2)', () => {
  it.each(['Infinity', '-Infinity', '1e400', '0x1F', '0b101', '0o17', 'NaN', '1_000'])('rejects %s as an amount, a number and a ratio', (raw) => {
    expect(parseAmount(raw, failure)).toBe(INVALID);
    expect(parserFor(field('interactions', 'score')!)(raw, failure)).toBe(INVALID);
    expect(parseRatio(raw, failure)).toBe(INVALID);
  });

  it.each(['\t', ' \t ', '\u3000', '\u00a0', '\u200b', '\ufeff'])('reads %j as empty', (raw) => {
    expect(parseAmount(raw, failure)).toBeNull();
    expect(parseDate(raw, failure)).toBeNull();
    expect(parserFor(field('customers', 'name')!)(raw, failure)).toBeNull();
  });

  it('keeps the decimal spellings Excel writes', () => {
    expect(parseAmount('1.5E+03', failure)).toBe(1500);
    expect(parseAmount('+7', failure)).toBe(7);
    expect(parseAmount('.25', failure)).toBe(0.25);
    expect(parseAmount('12.5', failure, 10_000)).toBe(125_000);
  });

  it('refuses canonical-looking dates with signs or spaces inside', () => {
    expect(parseDate('2024-+1-05', failure)).toBe(INVALID);
    expect(parseDate('2024- 3-05', failure)).toBe(INVALID);
    expect(parseMonth('2024-+3', failure)).toBe(INVALID);
  });

  it('checks the time part of a date-time', () => {
    expect(parseDate('2024-03-05 23:59:59', failure)).toBe('2024-03-05');
    expect(parseDate('2024-03-05 24:00', failure)).toBe('2024-03-05');
    for (const raw of ['2024-03-05 99:99', '2024-03-05 12:60', '20240305250000']) {
      expect(parseDate(raw, failure)).toBe(INVALID);
      expect(failure.message).toContain('时间部分不存在');
    }
  });

  it('applies plausible bounds with the amount in 万元', () => {
    const aum = parserFor(field('balances', 'aum')!, { plausible: { max: 1e10 } });
    expect(aum('2e10', failure)).toBe(INVALID);
    expect(failure.message).toContain('不能大于 1000000 万元');
    expect(aum('9999', failure)).toBe(9999);
  });
});

describe('coded values (issue #13 §3)', () => {
  const gender = field('customers', 'gender')!;

  it('reads GB/T 2261.1 codes: 1 男, 2 女, 0 and 9 unknown', () => {
    const parse = parserFor(gender);
    expect(['1', '2', '0', '9', '未知'].map((raw) => parse(raw, failure))).toEqual(['M', 'F', null, null, null]);
  });

  it('applies a value map before the synonyms', () => {
    const parse = parserFor(gender, { valueMap: { '0': 'M', '1': 'F' } });
    expect(['0', '1', '2', ' 1 '].map((raw) => parse(raw, failure))).toEqual(['M', 'F', 'F', 'F']);
    const flags = parserFor(field('customers', 'consent_marketing')!, { valueMap: { '2': '否', '9': null } });
    expect(['1', '2', '9'].map((raw) => flags(raw, failure))).toEqual([1, 0, null]);
  });
});
