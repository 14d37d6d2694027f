/**
 * `npm run bench [name ...]` runs the named benchmarks (all when none is named). Each benchmark is a module
 * in this folder whose default export runs it and writes bench/results/<name>.json. Benchmarks compare
 * against baselines measured in the same run; tests never assert timings.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`未知的基准测试: ${unknown.join(', ')}。可用: ${available.join(', ')}`);
  process.exit(2);
}

for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench ${name} ===`);
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  await mod.default();
}
