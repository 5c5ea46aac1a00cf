import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

// The workspace boundaries and the size limits hold only while the lint says so: check each rule fires.
describe('workspace boundary lint rules', () => {
  const RULE = '@typescript-eslint/no-restricted-imports';
  const importing = (spec: string, typeOnly = false) => `import ${typeOnly ? 'type ' : ''}{ x } from '${spec}';\nexport const y: unknown = x;\n`;
  const cases: Array<[string, string, string, boolean]> = [
    ['worker -> server by path', 'worker/src/activities/example.ts', '../../../server/src/db/schema', true],
    ['worker -> server by package', 'worker/src/activities/example.ts', '@lead-router/server/app', true],
    ['worker test -> server', 'worker/src/activities/example.test.ts', '../../../server/src/services/workspaces.service', true],
    ['worker e2e test -> server (allowed: it starts both)', 'worker/src/e2e/example.test.ts', '../../../server/src/services/workspaces.service', false],
    ['worker -> db (allowed)', 'worker/src/activities/example.ts', '@lead-router/db/schema', false],
    ['worker production -> testkit', 'worker/src/activities/example.ts', '@lead-router/testkit/scratch-database', true],
    ['worker test -> testkit (allowed)', 'worker/src/test/example.ts', '@lead-router/testkit/scratch-database', false],
    ['server -> worker by path', 'server/src/services/example.ts', '../../../worker/src/activities/types', true],
    ['server test -> worker', 'server/src/services/example.test.ts', '../../../worker/src/workflows/route-lead.workflow', true],
    ['server production -> testkit', 'server/src/services/example.ts', '@lead-router/testkit/temporal-dev-server', true],
    ['server -> db (allowed)', 'server/src/services/example.ts', '@lead-router/db/client', false],
    ['db -> server', 'db/src/example.ts', '../../server/src/env', true],
    ['shared -> db', 'shared/src/example.ts', '@lead-router/db/schema', true],
    ['web -> server code', 'web/src/api/example.ts', '@lead-router/server/app', true],
    ['web -> server by path', 'web/src/api/example.ts', '../../../server/src/app', true],
    ['web -> db', 'web/src/api/example.ts', '@lead-router/db/schema', true],
    ['web -> shared (allowed)', 'web/src/api/example.ts', '@lead-router/shared', false],
  ];
  for (const [what, file, spec, refused] of cases) {
    it(`${refused ? 'refuses' : 'allows'} ${what}`, async () => {
      const ids = await ruleIds(importing(spec), file);
      if (refused) expect(ids).toContain(RULE);
      else expect(ids).not.toContain(RULE);
    });
  }

  it("allows the web the server's AppType as a type-only import", async () => {
    expect(await ruleIds(importing('@lead-router/server/app', true), 'web/src/api/example.ts')).not.toContain(RULE);
  });
});
describe('size lint rules', () => {
  const lines = (n: number, line: string) => Array.from({ length: n }, () => line).join('\n');

  it('refuses a source file over 500 lines, not a test file', async () => {
    const code = `${lines(501, 'export const a = 1;')}\n`.replace(/const a = 1;/g, () => `const a${Math.random().toString(36).slice(2)} = 1;`);
    expect(await ruleIds(code, 'server/src/services/example.ts')).toContain('max-lines');
    expect(await ruleIds(code, 'server/src/services/example.test.ts')).not.toContain('max-lines');
  });

  it('refuses a function over 120 lines', async () => {
    const code = `export function f(): number {\n  let n = 0;\n${lines(119, '  n += 1;')}\n  return n;\n}\n`;
    expect(await ruleIds(code, 'worker/src/activities/example.ts')).toContain('max-lines-per-function');
    const short = `export function f(): number {\n  let n = 0;\n${lines(100, '  n += 1;')}\n  return n;\n}\n`;
    expect(await ruleIds(short, 'worker/src/activities/example.ts')).not.toContain('max-lines-per-function');
  });
});

describe('import cycle lint rule', () => {
  it('refuses two modules that import each other', async () => {
    const dir = mkdtempSync(join(process.cwd(), 'server', 'src', 'lint-probe-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b();\n");
      writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      const [result] = await eslint.lintFiles([join(dir, 'a.ts')]);
      expect((result?.messages ?? []).map((m) => m.ruleId)).toContain('import-x/no-cycle');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
