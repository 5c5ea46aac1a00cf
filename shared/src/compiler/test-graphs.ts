import type { DirectoryInput } from '../directory/schema';
import { DirectorySchema, type Directory } from '../directory/schema';
import { edgeId, GRAPH_SCHEMA_VERSION } from '../graph/graph';

/*
 * Small builders for the compiler's tests. They build raw documents (plain objects, as the server receives
 * them), so tests can also build broken ones.
 */

/** A raw node document. */
export interface RawNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  label?: string;
  config: Record<string, unknown>;
}

/** A raw edge document. */
export interface RawEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}

/** A raw graph document. */
export interface RawGraph {
  schemaVersion: number;
  nodes: RawNode[];
  edges: RawEdge[];
}

/** A node of any type with the given config; `label` is its title. */
export function node(id: string, type: string, config: Record<string, unknown>, label?: string): RawNode {
  return { id, type, position: { x: 0, y: 0 }, ...(label !== undefined ? { label } : {}), config };
}

/** An edge from `source`'s outcome `handle` to `target`, with the stable id the canvas gives it. */
export function edge(source: string, handle: string, target: string): RawEdge {
  return { id: edgeId(source, handle, target), source, sourceHandle: handle, target };
}

/** A graph document of the current version. */
export function graph(nodes: RawNode[], edges: RawEdge[]): RawGraph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes, edges };
}

/** A clause. */
export function clause(field: string, operator: string, value?: unknown): Record<string, unknown> {
  return value === undefined ? { field, operator } : { field, operator, value };
}

/** An all-group of clauses. */
export function all(...conditions: unknown[]): { match: 'all'; conditions: unknown[] } {
  return { match: 'all', conditions };
}

/** A trigger (webhook, no filter unless given). */
export const trigger = (id = 'trigger', config: Record<string, unknown> = { source: 'webhook' }, label?: string) =>
  node(id, 'trigger', config, label);
/** An End with an outcome name. */
export const end = (id = 'end', outcome = 'completed', label?: string) => node(id, 'end', { outcome }, label);
/** An assign to a queue. */
export const assignQueue = (id: string, queueId = 'q-main', label?: string) =>
  node(id, 'assign', { strategy: { type: 'queue', queueId } }, label);
/** An assign by round-robin within a team. */
export const assignTeam = (id: string, teamId = 'team-sdr', label?: string) =>
  node(id, 'assign', { strategy: { type: 'round_robin', teamId } }, label);
/** An in-app notify with a message. */
export const notify = (id: string, message = 'New lead: {{company}}', label?: string) =>
  node(id, 'notify', { channel: 'in_app', message }, label);
/** A 15-minute wait for acceptance. */
export const wait = (id: string, label?: string) =>
  node(id, 'wait', { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } }, label);

/** trigger -> assign (queue) -> end, both assign outcomes connected: the smallest valid graph with a step. */
export function minimalGraph(): RawGraph {
  return graph(
    [trigger(), assignQueue('assign', 'q-main', 'Assign to queue'), end()],
    [edge('trigger', 'next', 'assign'), edge('assign', 'assigned', 'end'), edge('assign', 'no_eligible_rep', 'end')],
  );
}

/**
 * A graph that uses every node kind and is valid against `testDirectory()`:
 * trigger (filtered) -> enrich -> score -> branch (enterprise / mid / else) -> ... -> wait -> escalate -> end.
 */
export function fullGraph(): RawGraph {
  return graph(
    [
      trigger('trigger', { source: 'form', filter: all(clause('country', 'in', ['US', 'CA'])) }, 'Inbound form'),
      node('enrich', 'enrich', { provider: 'firmographics', fields: ['employees', 'industry'] }, 'Enrich company'),
      node(
        'score',
        'score',
        {
          rules: [
            { id: 'big', category: 'fit', condition: all(clause('employees', 'gte', 500)), points: 40 },
            { id: 'demo', category: 'intent', condition: all(clause('leadSource', 'equals', 'demo')), points: 30 },
          ],
          grades: [
            { grade: 'A', min: 60 },
            { grade: 'B', min: 30 },
          ],
        },
        'Score lead',
      ),
      node(
        'branch',
        'branch',
        {
          cases: [
            { id: 'enterprise', label: 'Enterprise', condition: all(clause('employees', 'gte', 1000)) },
            { id: 'west', label: 'West', condition: all(clause('location', 'in_territory', 'terr-west')) },
          ],
          elseLabel: 'Everyone else',
        },
        'Route by size',
      ),
      node('match', 'match_account', { by: ['email_domain', 'company_name'] }, 'Find account'),
      node('owner', 'assign', { strategy: { type: 'account_owner' } }, 'Account owner'),
      node('west-rr', 'assign', { strategy: { type: 'territory', territoryIds: ['terr-west'] }, eligibility: { skillFromField: 'language' } }, 'West reps'),
      node('split', 'split', { variants: [{ id: 'a', label: 'A', percent: 50 }, { id: 'b', label: 'B', percent: 50 }] }, 'A/B'),
      assignTeam('sdr', 'team-sdr', 'SDR round-robin'),
      node('update', 'update', { set: [{ field: 'leadSource', value: 'routed' }] }, 'Tag lead'),
      node('notify', 'notify', { channel: 'email', subject: 'Lead {{company}}', message: 'Call {{firstName}} at {{phone}}' }, 'Tell the rep'),
      wait('sla', 'SLA'),
      node('escalate', 'escalate', { to: 'queue', queueId: 'q-main' }, 'Escalate to queue'),
      end('routed', 'routed', 'Routed'),
      end('disqualified', 'disqualified', 'Disqualified'),
    ],
    [
      edge('trigger', 'next', 'enrich'),
      edge('trigger', 'filtered', 'disqualified'),
      edge('enrich', 'enriched', 'score'),
      edge('enrich', 'not_found', 'score'),
      edge('score', 'next', 'branch'),
      edge('branch', 'enterprise', 'match'),
      edge('branch', 'west', 'west-rr'),
      edge('branch', 'else', 'split'),
      edge('match', 'matched', 'owner'),
      edge('match', 'not_matched', 'sdr'),
      edge('owner', 'assigned', 'notify'),
      edge('owner', 'no_eligible_rep', 'sdr'),
      edge('west-rr', 'assigned', 'notify'),
      edge('west-rr', 'no_eligible_rep', 'sdr'),
      edge('split', 'a', 'sdr'),
      edge('split', 'b', 'update'),
      edge('update', 'next', 'sdr'),
      edge('sdr', 'assigned', 'notify'),
      edge('sdr', 'no_eligible_rep', 'escalate'),
      edge('notify', 'next', 'sla'),
      edge('sla', 'accepted', 'routed'),
      edge('sla', 'timed_out', 'escalate'),
      edge('escalate', 'escalated', 'routed'),
      edge('escalate', 'no_target', 'routed'),
    ],
  );
}

/** A directory the full graph is valid against. */
export function testDirectory(extra: Partial<DirectoryInput> = {}): Directory {
  const rep = (id: string, name: string) => ({ id, name, email: `${id}@example.com`, timeZone: 'UTC' });
  return DirectorySchema.parse({
    reps: [rep('ana', 'Ana Diaz'), rep('bo', 'Bo Chen')],
    teams: [
      { id: 'team-sdr', name: 'SDRs', members: [{ repId: 'ana' }, { repId: 'bo' }] },
      { id: 'team-empty', name: 'Nobody', members: [] },
      { id: 'team-ghosts', name: 'Ghosts', members: [{ repId: 'gone' }] },
      { id: 'team-mixed', name: 'Mixed', members: [{ repId: 'ana' }, { repId: 'gone' }] },
    ],
    territories: [{ id: 'terr-west', name: 'West', rules: [{ countries: ['US'], states: ['CA', 'WA'] }], repIds: ['ana'] }],
    queues: [{ id: 'q-main', name: 'Main queue' }],
    ...extra,
  });
}
