import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { main } from './lead-router';

const FIX = join(import.meta.dirname, '..', 'shared', 'fixtures');
const GRAPH = join(FIX, 'hybrid-routing.graph.json');
const DIRECTORY = join(FIX, 'demo.directory.json');
const AT = '2026-11-24T15:00:00Z';
const tmp = mkdtempSync(join(tmpdir(), 'lead-router-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** Runs the CLI in-process and captures its output. */
function run(...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lead-router validate', () => {
  it('exits 0 for the fixture graph', () => {
    const r = run('validate', '--graph', GRAPH, '--directory', DIRECTORY);
    expect(r.code).toBe(0);
    expect(r.out).toContain('22 steps compile against the directory');
  });

  it('exits 1 and lists every problem as JSON', () => {
    const broken = structuredClone(hybridRoutingGraph);
    broken.edges = broken.edges.filter((e) => !(e.source === 'fast-lane' && e.sourceHandle === 'else'));
    const branch = broken.nodes.find((n) => n.id === 'fast-lane');
    if (branch?.type !== 'branch') throw new Error('fixture changed');
    branch.config.cases[0]!.condition.conditions.push({ field: 'company', operator: 'gt', value: 500 });
    const r = run('validate', '--graph', file('broken.json', JSON.stringify(broken)), '--json');
    expect(r.code).toBe(1);
    const body = JSON.parse(r.out) as { ok: boolean; problems: Array<{ code: string; nodeId: string | null; path: string | null; message: string }> };
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'branch_missing_else', nodeId: 'fast-lane' }),
        expect.objectContaining({ code: 'operator_type_mismatch', nodeId: 'fast-lane', path: 'config.cases.0.condition.conditions.2.operator' }),
      ]),
    );
    for (const p of body.problems) expect(Object.keys(p).sort()).toEqual(['code', 'message', 'nodeId', 'path', 'severity']);
  });

  it('reports unknown reps and teams only when a directory is given', () => {
    const g = structuredClone(hybridRoutingGraph);
    const assign = g.nodes.find((n) => n.id === 'assign-pool');
    if (assign?.type !== 'assign') throw new Error('fixture changed');
    assign.config.strategy = { type: 'weighted_round_robin', teamId: 'team-nope' };
    const p = file('unknown-team.json', JSON.stringify(g));
    expect(run('validate', '--graph', p).code).toBe(0);
    const r = run('validate', '--graph', p, '--directory', DIRECTORY, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).problems[0]).toMatchObject({ code: 'unknown_team', nodeId: 'assign-pool' });
  });

  it('exits 2 for unreadable input: missing file, bad JSON, an invalid directory', () => {
    expect(run('validate', '--graph', join(tmp, 'missing.json')).code).toBe(2);
    const bad = run('validate', '--graph', file('bad.json', '{"nodes": ['));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('bad.json is not valid JSON');
    const dir = run('validate', '--graph', GRAPH, '--directory', file('dir.json', JSON.stringify({ reps: [{ id: 'x', name: 'X', email: 'not-an-email', timeZone: 'Mars/Base' }] })));
    expect(dir.code).toBe(2);
    expect(dir.err).toContain('reps.0.email');
    expect(dir.err).toContain('reps.0.timeZone');
    expect(run('validate').code).toBe(2);
    expect(run('validate', '--graph', GRAPH, '--bogus').code).toBe(2);
  });
});

describe('lead-router simulate', () => {
  it('prints results and a summary in the documented JSON shape', () => {
    const r = run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', join(FIX, 'example-leads.json'), '--json', '--at', AT);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.results).toHaveLength(10);
    const first = body.results[0];
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['leadId', 'outcome', 'assignee', 'path', 'steps']));
    expect(first).toMatchObject({ leadId: 'L-1', outcome: 'routed', assignee: 'rep-ana' });
    expect(first.path[0]).toBe('trigger');
    expect(first.steps[0]).toMatchObject({ nodeId: 'trigger', decision: 'Matches the filter' });
    expect(body.summary.byOutcome).toEqual({ routed: 9, filtered: 1 });
    expect(Object.values(body.summary.byAssignee as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(9);
    expect(body.summary.byNode.trigger).toBe(10);
  });

  it('gives the same answers for the JSON, JSONL and CSV forms of the same leads', () => {
    const pick = (f: string) => {
      const body = JSON.parse(run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', f, '--json', '--at', AT).out);
      return body.results.map((x: { leadId: string; assignee: string | null; path: string[] }) => [x.leadId, x.assignee, x.path.join('>')]);
    };
    const json = pick(join(FIX, 'example-leads.json'));
    expect(pick(join(FIX, 'example-leads.jsonl'))).toEqual(json);
    const csv = file('leads.csv', 'id,First Name,Last Name,Email,Title,Company,Country,State,Lead Source\nL-1,Wile,Coyote,wile@acme.com,Head of Procurement,Acme Corp,US,NY,Demo Request\n');
    expect(pick(csv)[0]).toEqual(json[0]);
  });

  it('uses the 1-based row number as the lead id when a lead has none', () => {
    const leads = file('no-ids.jsonl', '{"email":"a@acme.com","country":"US"}\n{"email":"b@globex.com","country":"US"}\n');
    const body = JSON.parse(run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', leads, '--json', '--at', AT).out);
    expect(body.results.map((r: { leadId: string }) => r.leadId)).toEqual(['1', '2']);
  });

  it('reports an invalid lead by field and still runs the others', () => {
    const leads = file('mixed.json', JSON.stringify([{ id: 'ok', email: 'a@acme.com' }, { id: 'bad', email: 'b@acme.com', employees: 'lots' }]));
    const r = run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', leads, '--json', '--at', AT);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.results[0]).toMatchObject({ leadId: 'ok', outcome: 'routed' });
    expect(body.results[1]).toMatchObject({ leadId: 'bad', outcome: 'invalid', assignee: null });
    expect(body.results[1].problems[0].field).toBe('employees');
    expect(r.err).toContain('lead bad: employees');
    expect(body.summary.byOutcome.invalid).toBe(1);
  });

  it('--wait timed_out walks the escalation ladder', () => {
    const body = JSON.parse(run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', join(FIX, 'example-leads.json'), '--json', '--at', AT, '--wait', 'timed_out').out);
    const l2 = body.results.find((r: { leadId: string }) => r.leadId === 'L-2');
    expect(l2.path).toContain('reassign');
    expect(l2.path).toContain('to-manager');
    expect(l2.outcome).toBe('queued');
  });

  it('refuses a graph that does not compile with exit 1, and bad options with exit 2', () => {
    const g = file('empty.json', JSON.stringify({ schemaVersion: 1, nodes: [], edges: [] }));
    const r = run('simulate', '--graph', g, '--directory', DIRECTORY, '--leads', join(FIX, 'example-leads.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('no_trigger');
    expect(run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', join(FIX, 'example-leads.json'), '--at', 'tuesday').code).toBe(2);
    expect(run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', join(FIX, 'example-leads.json'), '--wait', 'maybe').code).toBe(2);
    expect(run('simulate', '--graph', GRAPH).code).toBe(2);
  });

  it('prints a readable table without --json', () => {
    const r = run('simulate', '--graph', GRAPH, '--directory', DIRECTORY, '--leads', join(FIX, 'sample-leads.csv'), '--at', AT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Lead\s+Outcome\s+Assignee\s+Path/);
    expect(r.out).toContain('200 leads:');
  });
});

describe('the installed command', () => {
  it('runs through npx with the exit codes of the contract', () => {
    const root = join(import.meta.dirname, '..');
    const ok = spawnSync('npx', ['--no-install', 'lead-router', 'validate', '--graph', GRAPH, '--json'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const missing = spawnSync('npx', ['--no-install', 'lead-router', 'validate', '--graph', '/nonexistent.json'], { cwd: root, encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(execFileSync('node', ['bin/lead-router.js', 'help'], { cwd: root, encoding: 'utf8' })).toContain('lead-router validate');
  });
});
