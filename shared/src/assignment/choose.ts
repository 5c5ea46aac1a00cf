import { formatLocation, inTerritory, leadLocation } from '../conditions/territory';
import type { Territory } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';
import type { AssignStrategy } from '../graph/nodes/assign';
import type { Team } from '../directory/schema';
import { candidate, ineligible, nameOf, verdictOf, VERDICT_LABEL, type Call, type Decision } from './choice';
import { hasTeamCaps, teamCapReason } from './period-caps';
import type { DirectoryIndex } from './directory-index';
import { NO_IDS, teamPool, territoryPool } from './pool';
import { fairRotation } from './fairness';
import { loadBalanced } from './pool-strategies';
import type { Assignee, Candidate, ChooseInput, ChooseResult, RoutingStateView } from './types';

// A choice runs once per assign step of every lead, so this file is written for the hot path: pools are
// derived once per team or territory object, each rep is checked once without allocating when eligible,
// and every candidate, reason and explanation line is built in one or two passes over the pool.


/** One trace line per candidate: `Ana Diaz: chosen (next in rotation after Bo Li)`. */
export function candidateLine(c: Candidate): string {
  // Reasons of ruled-out reps already start with what ruled them out; repeating the label would stutter.
  if (c.verdict === 'chosen' || c.verdict === 'not_this_turn') return `${c.name}: ${VERDICT_LABEL[c.verdict]} (${c.reason})`;
  return `${c.name}: ${c.reason}`;
}

/** A result without candidates: the headline is the whole explanation. */
function plain(poolKey: string | null, assignee: Assignee | null, headline: string): ChooseResult {
  return { assignee, candidates: [], poolKey, update: { poolKey }, explanation: [headline] };
}

/** The result of a decision, its headline put in the slot left for it. */
function decided(d: Decision, headline: string): ChooseResult {
  d.explanation[0] = headline;
  const assignee: Assignee | null = d.chosen === null ? null : { type: 'rep', id: d.chosen.repId, name: d.chosen.name };
  const r: ChooseResult = { assignee, candidates: d.candidates, poolKey: d.update.poolKey, update: d.update, explanation: d.explanation };
  if (d.credit !== undefined && assignee !== null) r.credit = d.credit;
  return r;
}

const STRATEGY_LABEL = {
  round_robin: 'round-robin',
  weighted_round_robin: 'weighted round-robin',
  load_balanced: 'load-balanced',
} as const;

/** `balanced ` before the strategy's name in the headline of a balanced step; nothing otherwise. */
const modeLabel = (call: Call, type: string): string => (type !== 'load_balanced' && call.input.fairness?.mode === 'balanced' ? 'balanced ' : '');

function teamStrategy(
  call: Call,
  strategy: Extract<AssignStrategy, { type: 'round_robin' | 'weighted_round_robin' | 'load_balanced' }>,
): ChooseResult {
  const team = call.dir.teams.get(strategy.teamId);
  if (team === undefined) return plain(`team:${strategy.teamId}`, null, `No eligible rep: team ${strategy.teamId} is not in the directory`);
  const pool = teamPool(team, strategy.teamId);
  if (pool.ids.length === 0) return plain(pool.key, null, `No eligible rep in team ${team.name}: it has no members`);
  const capped = overTeamCap(call, team, pool.key, pool.ids);
  if (capped !== null) return capped;
  const d = strategy.type === 'load_balanced' ? loadBalanced(call, pool) : fairRotation(call, pool, strategy.type === 'weighted_round_robin');
  if (d.chosen === null) return decided(d, `No eligible rep in team ${team.name}`);
  return decided(d, `Assigned to ${d.chosen.name} (${modeLabel(call, strategy.type)}${STRATEGY_LABEL[strategy.type]}, team ${team.name})`);
}

/**
 * A team whose pool reached a day, week or month cap (#16) hands out nothing: every member is a candidate
 * with the verdict `over_team_cap`, and the step takes its `no eligible rep` outcome. Null when under its caps.
 */
function overTeamCap(call: Call, team: Team, poolKey: string, ids: readonly string[]): ChooseResult | null {
  if (!hasTeamCaps(team) || call.input.eligibility.respectCapacity === false) return null;
  const over = teamCapReason(team, poolKey, call.state, call.input.now, call.dir.settings?.timeZone ?? 'UTC');
  if (over === null) return null;
  const candidates = ids.map((id) => candidate(id, nameOf(call.dir, id), over.verdict, over.reason));
  const d: Decision = { chosen: null, candidates, explanation: ['', ...candidates.map(candidateLine)], update: { poolKey } };
  return decided(d, `No eligible rep in team ${team.name}: ${over.reason}`);
}

function territoryStrategy(call: Call, strategy: Extract<AssignStrategy, { type: 'territory' }>, lead: Lead): ChooseResult {
  const ids = strategy.territoryIds;
  // For a long list of territory ids a set, for a short one a scan.
  const only = ids !== undefined && ids.length > 8 ? new Set(ids) : null;
  const loc = leadLocation(lead);
  const where = formatLocation(loc);
  // Directory order, not the list's: overlapping territories resolve the same way everywhere. The lowest
  // priority number wins, then directory order (as `findTerritory`, reading the location once).
  let territory: Territory | null = null;
  for (const t of call.dir.territories) {
    if (ids !== undefined && !(only === null ? ids.includes(t.id) : only.has(t.id))) continue;
    if ((territory === null || t.priority < territory.priority) && inTerritory(t, loc)) territory = t;
  }
  if (territory === null) {
    let among = '';
    if (ids !== undefined) {
      const listed = call.dir.territories.filter((t) => ids.includes(t.id));
      among = listed.length === 0 ? ' (none of the listed territories is in the directory)' : ` among ${listed.map((t) => t.name).join(', ')}`;
    }
    return plain(null, null, `No territory covers the lead's location ${where}${among}`);
  }
  const reps = territoryPool(territory);
  if (reps.ids.length === 0) return plain(reps.key, null, `No eligible rep in territory ${territory.name} (lead in ${where}): it has no reps`);
  const d = fairRotation(call, reps, false);
  if (d.chosen === null) return decided(d, `No eligible rep in territory ${territory.name} (lead in ${where})`);
  return decided(d, `Assigned to ${d.chosen.name} (${modeLabel(call, 'territory')}round-robin, territory ${territory.name}; lead in ${where})`);
}

/** A single named rep (account owner, specific rep): chosen when eligible, else nobody. */
function single(call: Call, repId: string, why: string): Decision {
  const rep = call.dir.reps.get(repId);
  const name = rep?.name ?? repId;
  const out = ineligible(call, rep, repId);
  const c = out !== null ? candidate(repId, name, verdictOf(call), out) : candidate(repId, name, 'chosen', why);
  return { chosen: out === null ? c : null, candidates: [c], explanation: ['', candidateLine(c)], update: { poolKey: null } };
}

function accountOwnerStrategy(call: Call, lead: Lead): ChooseResult {
  const v = lead.accountOwner;
  if (isMissing(v)) return plain(null, null, 'No matched account owner');
  const ownerId = String(v).trim();
  const accountName = isMissing(lead.accountName) ? null : String(lead.accountName);
  const account = accountName === null ? 'the matched account' : `account ${accountName}`;
  const d = single(call, ownerId, `owner of ${account}`);
  if (d.chosen === null) {
    const c = d.candidates[0] as Candidate;
    return decided(d, `No eligible rep: account owner ${c.name} is not eligible (${c.reason})`);
  }
  return decided(d, `Assigned to ${d.chosen.name} (account owner of ${accountName ?? account})`);
}

function specificRepStrategy(call: Call, repId: string): ChooseResult {
  const d = single(call, repId, 'the rep this step names');
  if (d.chosen === null) {
    const c = d.candidates[0] as Candidate;
    return decided(d, `No eligible rep: ${c.name} is not eligible (${c.reason})`);
  }
  return decided(d, `Assigned to ${d.chosen.name} (specific rep)`);
}

// Beyond this many excluded reps a set beats scanning the list for every candidate.
const EXCLUDE_SCAN_MAX = 8;

/**
 * Chooses who gets a lead under a strategy: pure and deterministic, reading the state and returning the
 * changes to make. Every rep considered is in `candidates` with a verdict and a reason, to answer "why not me?".
 */
export function chooseAssignee(input: ChooseInput, dir: DirectoryIndex, state: RoutingStateView): ChooseResult {
  const exclude: readonly string[] | Iterable<string> | null | undefined = input.exclude;
  const list = Array.isArray(exclude) ? (exclude as readonly string[]) : NO_IDS;
  // A long list, or one that is not an array (any iterable, as `new Set` takes), is read through a set.
  const excludeSet = list.length > EXCLUDE_SCAN_MAX || (list === NO_IDS && exclude !== null && exclude !== undefined) ? new Set(exclude) : null;
  const s = input.strategy;
  if (s.type === 'queue') {
    const poolKey = `queue:${s.queueId}`;
    const q = dir.queues.get(s.queueId);
    if (q === undefined) return plain(poolKey, null, `Nobody assigned: queue ${s.queueId} is not in the directory`);
    return plain(poolKey, { type: 'queue', id: q.id, name: q.name }, `Assigned to queue ${q.name}`);
  }
  const call: Call = { dir, state, input, check: null, exclude: list, excludeSet };
  switch (s.type) {
    case 'round_robin':
    case 'weighted_round_robin':
    case 'load_balanced':
      return teamStrategy(call, s);
    case 'territory':
      return territoryStrategy(call, s, input.lead);
    case 'account_owner':
      return accountOwnerStrategy(call, input.lead);
    case 'specific_rep':
      return specificRepStrategy(call, s.repId);
    default: {
      const unknown: { type?: unknown } = s;
      return plain(null, null, `Nobody assigned: unknown strategy ${String(unknown.type)}`);
    }
  }
}
