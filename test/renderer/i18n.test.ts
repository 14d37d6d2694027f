/**
 * Every user-facing string is in both locale files: the two key sets are equal, every key the renderer
 * names exists, and no value is empty.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_LABELS } from '../../shared/rule-compiler';
import en from '../../renderer/src/i18n/en';
import zhCN from '../../renderer/src/i18n/zh-CN';
import { OPERATOR_KEYS } from '../../renderer/src/features/customers/filter';
import { sourceFiles, srcDir } from './source-files';


function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

const zh = flatten(zhCN);
const enKeys = flatten(en);

describe('locale files', () => {
  it('have the same keys', () => {
    const onlyZh = [...zh.keys()].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys.keys()].filter((k) => !zh.has(k));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it('have no empty or non-string values', () => {
    for (const [name, map] of [['zh-CN', zh], ['en', enKeys]] as const) {
      const bad = [...map.entries()].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => `${name}:${k}`);
      expect(bad).toEqual([]);
    }
  });

  it('write Chinese in zh-CN and English in en', () => {
    const cjk = /[\u4e00-\u9fff]/;
    // Keys whose Chinese text is a code or a name in its own script on purpose.
    const latinOk = new Set(['import.encodings.utf8', 'import.encodings.gbk', 'import.encodings.utf16le', 'import.encodings.utf16be', 'common.percent', 'settings.en', 'jobs.step', 'enums.channel.atm', 'enums.channel.pos', 'enums.gender.M']);
    const zhWithoutChinese = [...zh.entries()].filter(([k, v]) => !latinOk.has(k) && !k.startsWith('enums.') && !cjk.test(String(v))).map(([k, v]) => `${k}=${String(v)}`);
    expect(zhWithoutChinese).toEqual([]);
    // English text may quote Chinese only in these: the language's own name and the masking examples.
    const cjkOk = new Set(['settings.zh', 'settings.maskPiiHint']);
    const enWithChinese = [...enKeys.entries()].filter(([k, v]) => !cjkOk.has(k) && cjk.test(String(v))).map(([k]) => k);
    expect(enWithChinese).toEqual([]);
  });

  it('name operators as the rule compiler does', () => {
    for (const [op, key] of Object.entries(OPERATOR_KEYS)) expect(zh.get(`operators.${key}`)).toBe(OPERATOR_LABELS[op as keyof typeof OPERATOR_LABELS]);
  });

  it('contain every static key the renderer uses', () => {
    const missing: string[] = [];
    const keyCall = /\bte?\(\s*'([a-zA-Z0-9_.]+)'/g;
    const prefixCall = /\bte?\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g;
    const keyProp = /\b(?:nav|label):\s*'((?:nav|import|common)\.[a-zA-Z0-9_.]+)'/g;
    for (const file of sourceFiles()) {
      if (file.includes(`${join('src', 'i18n')}`)) continue;
      const text = readFileSync(file, 'utf8');
      for (const re of [keyCall, keyProp]) {
        for (const m of text.matchAll(re)) {
          const key = m[1]!;
          if (!zh.has(key) || !enKeys.has(key)) missing.push(`${relative(srcDir, file)}: ${key}`);
        }
      }
      for (const m of text.matchAll(prefixCall)) {
        const prefix = `${m[1]!}.`;
        if (![...zh.keys()].some((k) => k.startsWith(prefix))) missing.push(`${relative(srcDir, file)}: ${prefix}*`);
      }
    }
    expect(missing).toEqual([]);
  });
});
