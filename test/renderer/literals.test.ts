/**
 * No user-visible text is written into a template or a script outside the locale files: template text,
 * user-visible attributes and string literals in scripts must not carry words.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from '@vue/compiler-sfc';
import { describe, expect, it } from 'vitest';
import { sourceFiles, srcDir } from './source-files';

/** Words in any script the analyst reads: Chinese characters, or two Latin letters in a row. */
const WORDS = /[\u4e00-\u9fff]|[A-Za-z]{2,}/;
const CJK = /[\u4e00-\u9fff]/;
const VISIBLE_ATTRS = new Set(['placeholder', 'title', 'label', 'description', 'sub-title', 'content', 'alt', 'aria-label', 'empty-text', 'confirm-button-text', 'cancel-button-text', 'active-text', 'inactive-text']);

interface AstNode {
  type: number;
  content?: unknown;
  children?: AstNode[];
  props?: { type: number; name: string; value?: { content: string } }[];
  loc: { start: { line: number } };
}

function walk(node: AstNode, visit: (n: AstNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

/** Drops comments so that explanations in Chinese do not count. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('renderer source', () => {
  const files = sourceFiles().filter((f) => !f.includes('/i18n/'));

  it('has no literal text in templates', () => {
    const found: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.vue'))) {
      const { descriptor } = parse(readFileSync(file, 'utf8'), { filename: file });
      if (!descriptor.template?.ast) continue;
      walk(descriptor.template.ast as unknown as AstNode, (node) => {
        // 2 = text
        if (node.type === 2 && typeof node.content === 'string' && WORDS.test(node.content)) found.push(`${relative(srcDir, file)}:${node.loc.start.line} text “${node.content.trim()}”`);
        for (const prop of node.props ?? []) {
          // 6 = static attribute
          if (prop.type === 6 && VISIBLE_ATTRS.has(prop.name) && prop.value && WORDS.test(prop.value.content)) {
            found.push(`${relative(srcDir, file)}:${node.loc.start.line} ${prop.name}="${prop.value.content}"`);
          }
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('has no Chinese string literals in scripts', () => {
    const found: string[] = [];
    for (const file of files) {
      let code = readFileSync(file, 'utf8');
      if (file.endsWith('.vue')) {
        const { descriptor } = parse(code, { filename: file });
        code = `${descriptor.script?.content ?? ''}\n${descriptor.scriptSetup?.content ?? ''}`;
      }
      const lines = stripComments(code).split('\n');
      lines.forEach((line, i) => {
        if (CJK.test(line)) found.push(`${relative(srcDir, file)}:${i + 1} ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('imports nothing of node, electron or the engine', () => {
    const bad: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:') || spec === 'electron' || spec.startsWith('electron/') || /electron\//.test(spec) || ['fs', 'path', 'os', 'child_process'].includes(spec)) {
          bad.push(`${relative(srcDir, file)}: ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
