// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Node built-ins under both spellings (`fs` and `node:fs`). */
const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

/**
 * What deterministic code may not touch. shared/ runs inside the Temporal workflow sandbox, the browser and
 * the server; workflow files are replayed from history. Both must be free of Node APIs, I/O, wall-clock
 * time and randomness: time comes from Effects.now() (workflow time), randomness is never needed.
 */
const determinism = {
  'no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed here: this code must run in the Temporal workflow sandbox and the browser.' })),
      patterns: [{ group: ['node:*'], message: 'Node built-ins are not allowed here.' }],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['process', 'Buffer', 'require', '__dirname', '__filename', 'fetch', 'XMLHttpRequest', 'WebSocket', 'window', 'document', 'localStorage', 'setInterval', 'setImmediate'].map(
      (name) => ({ name, message: `${name} is I/O or host-specific; not allowed in deterministic code.` }),
    ),
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use Effects.now(): wall-clock time breaks determinism.' },
    { object: 'Math', property: 'random', message: 'Randomness breaks determinism; hash a stable id instead.' },
    { object: 'performance', property: 'now', message: 'Wall-clock time breaks determinism.' },
    { object: 'crypto', property: 'randomUUID', message: 'Randomness breaks determinism.' },
    { object: 'crypto', property: 'getRandomValues', message: 'Randomness breaks determinism.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock; pass the instant in.' },
    { selector: "CallExpression[callee.name='Date']", message: 'Date() reads the wall clock.' },
    { selector: "NewExpression[callee.name='Function']", message: 'No code from data: new Function is forbidden.' },
    { selector: "NewExpression[callee.name='RegExp']", message: 'No regular expressions built at run time (user patterns go through the bounded pattern engine).' },
  ],
  'no-eval': 'error',
  'no-implied-eval': 'error',
};

/**
 * The workspace boundaries (see each CONTEXT.md): who may import whom. A restricted pattern matches both a
 * package name (`@lead-router/server`) and a relative path into another workspace (`../../server/src/...`).
 */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts', '**/test/**', '**/e2e/**', '**/*.fixtures.ts'];
const into = (workspace) => [`@lead-router/${workspace}`, `@lead-router/${workspace}/*`, `**/${workspace}/src/**`, `**/${workspace}/src`];
/** @param {string} from @param {Array<{ group: string[], message: string, allowTypeImports?: boolean }>} patterns */
const boundary = (from, patterns) => ({
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, message: `${from} ${p.message}` })) }] },
});
const noTestkit = { group: [...into('testkit')], message: 'production code may not import the testkit (tests and benchmarks only).' };

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/dist-types/**', '.data/**', '.tools/**', 'test-results/**', 'playwright-report/**', 'web/dist/**', 'bench/out/**', '.scratch/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/src/**/*.ts', 'worker/src/workflows/**/*.ts'],
    // Workflow tests drive the workflow from Node (clients, databases, wall-clock timeouts); they are
    // never bundled into the sandbox. shared/'s tests stay under the rules: they run the same code paths.
    ignores: ['worker/src/workflows/**/*.test.ts'],
    rules: determinism,
  },
  // ---- Workspace boundaries -----------------------------------------------------------------------------
  { files: ['shared/src/**/*.ts'], ...boundary('shared/', [{ group: ['@lead-router/*', '**/server/src/**', '**/worker/src/**', '**/web/src/**', '**/db/src/**'], message: 'depends on nothing of ours: it runs in the workflow sandbox, the browser and the server.' }]) },
  { files: ['db/src/**/*.ts'], ...boundary('db/', [{ group: [...into('server'), ...into('worker'), ...into('web'), ...into('testkit')], message: 'may import shared/ only: the server and the worker both build on it.' }]) },
  { files: ['worker/src/**/*.ts'], ignores: ['worker/src/e2e/**'], ...boundary('worker/', [{ group: [...into('server'), ...into('web')], message: 'may not import the server or the web (shared contracts live in shared/ and db/); only the end-to-end tests, which start both, may.' }]) },
  { files: ['worker/src/**/*.ts'], ignores: [...TEST_FILES], ...boundary('worker/', [{ group: [...into('server'), ...into('web')], message: 'may not import the server or the web (shared contracts live in shared/ and db/).' }, noTestkit]) },
  { files: ['server/src/**/*.ts'], ...boundary('server/', [{ group: [...into('worker'), ...into('web')], message: 'may not import the worker or the web: Temporal is the only link to the worker (shared/workflow-contract).' }]) },
  { files: ['server/src/**/*.ts'], ignores: [...TEST_FILES], ...boundary('server/', [{ group: [...into('worker'), ...into('web')], message: 'may not import the worker or the web: Temporal is the only link to the worker (shared/workflow-contract).' }, noTestkit]) },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    ...boundary('web/', [
      { group: [...into('worker'), ...into('db'), ...into('testkit'), '**/server/src/**', '**/shared/src/**'], message: 'may import @lead-router/shared and the server\'s AppType (type-only) only.' },
      { group: ['@lead-router/server', '@lead-router/server/*'], allowTypeImports: true, message: 'may import the server\'s types only (AppType for the typed client), never its code.' },
    ]),
  },
  // ---- No import cycles, anywhere ---------------------------------------------------------------------
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // How import-x parses the modules it follows (TypeScript files), and how it resolves their imports.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', '*/tsconfig.json', 'tsconfig.tools.json'], noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // ---- Size: a file a newcomer can read, a function that fits on a screen or two -------------------
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [...TEST_FILES],
    rules: {
      'max-lines': ['error', { max: 500 }],
      'max-lines-per-function': ['error', { max: 120 }],
    },
  },
);

export { determinism };
