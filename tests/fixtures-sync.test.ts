import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES, OPERATORS } from '@lead-router/shared';
import { FIXTURES_DIR, fixtureFiles } from '../scripts/write-fixtures';

describe('shared/fixtures', () => {
  for (const [name, text] of Object.entries(fixtureFiles())) {
    it(`${name} matches the typed fixtures (run \`npm run fixtures\` after changing them)`, () => {
      expect(readFileSync(join(FIXTURES_DIR, name), 'utf8')).toBe(text);
    });
  }
});

describe('docs/formats.md', () => {
  const doc = readFileSync(join(FIXTURES_DIR, '..', '..', 'docs', 'formats.md'), 'utf8');
  it('documents every node type', () => {
    for (const t of NODE_TYPES) expect(doc).toContain(`\`${t}\``);
  });
  it('documents every operator', () => {
    for (const op of OPERATORS) expect(doc).toContain(`\`${op}\``);
  });
});
