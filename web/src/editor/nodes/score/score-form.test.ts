import { NODE_KINDS, type ScoreRule } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { defaultHttp } from '../enrich/inspector';
import { newScoreRule } from './inspector';

describe('new rows the typed forms add', () => {
  it('a new score rule has a fresh id and is valid once its condition has a clause', () => {
    const first = newScoreRule([]);
    expect(first.id).toBe('rule-1');
    const second = newScoreRule([first, { ...first, id: 'rule-3' }] as ScoreRule[]);
    expect(second.id).toBe('rule-4');
    const config = { ...NODE_KINDS.score.defaultConfig(), rules: [{ ...first, condition: { match: 'all' as const, conditions: [{ field: 'employees', operator: 'gt' as const, value: 500 }] } }] };
    expect(NODE_KINDS.score.configSchema.safeParse(config).success).toBe(true);
  });

  it('HTTP enrich settings start valid but for the URL: each field read from the property of its name', () => {
    const http = defaultHttp(['employees', 'industry']);
    expect(http.mapping).toEqual({ employees: 'employees', industry: 'industry' });
    const base = { provider: 'http' as const, fields: ['employees', 'industry'], overwrite: false };
    const noUrl = NODE_KINDS.enrich.configSchema.safeParse({ ...base, http });
    expect(noUrl.success).toBe(false);
    expect(noUrl.error?.issues.map((i) => i.path.join('.'))).toEqual(['http.urlTemplate']);
    expect(NODE_KINDS.enrich.configSchema.safeParse({ ...base, http: { ...http, urlTemplate: 'https://x.example/c?d={{domain}}' } }).success).toBe(true);
  });
});
