import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rules are only worth something if they fire: lint snippets as if they lived in
// shared/ and in a workflow file, and check each forbidden thing is reported.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('determinism lint rules', () => {
  const forbidden: Array<[string, string, string]> = [
    ['a Node built-in', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'no-restricted-imports'],
    ['a bare built-in', "import path from 'path';\nexport const p = path;", 'no-restricted-imports'],
    ['Date.now()', 'export const t = Date.now();', 'no-restricted-properties'],
    ['Math.random()', 'export const r = Math.random();', 'no-restricted-properties'],
    ['new Date()', 'export const d = new Date();', 'no-restricted-syntax'],
    ['eval', "export const e = eval('1');", 'no-eval'],
    ['new Function', "export const f = new Function('return 1');", 'no-restricted-syntax'],
    ['a runtime RegExp', "export const r = new RegExp('a+');", 'no-restricted-syntax'],
    ['fetch', "export const f = () => fetch('http://x');", 'no-restricted-globals'],
    ['process', 'export const e = process.env;', 'no-restricted-globals'],
  ];

  for (const file of ['shared/src/interpreter/example.ts', 'worker/src/workflows/example.ts']) {
    for (const [what, code, rule] of forbidden) {
      it(`forbids ${what} in ${file}`, async () => {
        expect(await ruleIds(code, file)).toContain(rule);
      });
    }
  }

  it('allows the same code in the server', async () => {
    const ids = await ruleIds("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\nexport const t = Date.now();", 'server/src/example.ts');
    expect(ids).toEqual([]);
  });

  it('allows an instant passed in', async () => {
    expect(await ruleIds('export const d = (ms: number) => new Date(ms).toISOString();', 'shared/src/x.ts')).toEqual([]);
  });
});
