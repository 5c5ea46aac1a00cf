import { findTerritory, formatLocation, leadLocation } from '../conditions/territory';
import type { Rep, Team } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';
import type { AssignStrategy, Eligibility } from '../graph/nodes/assign';
import type { DirectoryIndex } from './directory-index';
import { checkRep, type RepCheck } from './eligibility';
import type { Assignee, Candidate, CandidateVerdict, ChooseInput, ChooseResult, RoutingStateView, StateUpdate } from './types';

/** What every strategy needs to check a rep. */
interface Ctx {
  dir: DirectoryIndex;
  state: RoutingStateView;
  eligibility: Eligibility;
  lead: Lead;
  now: number;
  exclude: ReadonlySet<string>;
}

/** A rep checked for this lead. */
interface Checked {
  repId: string;
  rep: Rep | undefined;
  name: string;
  check: RepCheck;
}

/** What a strategy decided, before it is turned into a result. */
interface Decision {
  chosen: Checked | null;
  candidates: Candidate[];
  update: Omit<StateUpdate, 'poolKey'>;
}

const nameOf = (dir: DirectoryIndex, repId: string): string => dir.reps.get(repId)?.name ?? repId;

const possessive = (name: string): string => `${name}'s`;

function checkOne(ctx: Ctx, repId: string): Checked {
  const rep = ctx.dir.reps.get(repId);
  return {
    repId,
    rep,
    name: rep?.name ?? repId,
    check: checkRep(rep, repId, ctx.eligibility, ctx.lead, ctx.now, ctx.state, ctx.exclude),
  };
}

const candidate = (c: Checked, verdict: CandidateVerdict, reason: string): Candidate => ({
  repId: c.repId,
  name: c.name,
  verdict,
  reason,
});

/** The candidate for a rep ruled out by eligibility, or null when the rep is eligible. */
function ineligible(c: Checked): Candidate | null {
  return c.check.eligible ? null : candidate(c, c.check.verdict, c.check.reason);
}

/** First occurrence of each id, in order: a rep listed twice in a pool still gets one turn per round. */
function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The pool in turn order: starting after the rep who had the last turn, or at the top if they left the pool. */
function rotation(ids: readonly string[], last: string | null): string[] {
  const at = last === null ? -1 : ids.indexOf(last);
  return [...ids.slice(at + 1), ...ids.slice(0, at + 1)];
}

function rotationNote(ctx: Ctx, ids: readonly string[], last: string | null): string {
  if (last === null) return 'first in rotation';
  if (!ids.includes(last)) return `first in rotation (${nameOf(ctx.dir, last)}, who had the last turn, is no longer in the pool)`;
  return `next in rotation after ${nameOf(ctx.dir, last)}`;
}

/** Plain round-robin: the first eligible rep after the one who had the last turn. */
function roundRobin(ctx: Ctx, poolKey: string, memberIds: readonly string[]): Decision {
  const last = ctx.state.lastChosen(poolKey);
  const checked = rotation(memberIds, last).map((id) => checkOne(ctx, id));
  const chosen = checked.find((c) => c.check.eligible) ?? null;
  const skipped = chosen === null ? 0 : checked.indexOf(chosen);
  const candidates = checked.map((c): Candidate => {
    const out = ineligible(c);
    if (out !== null) return out;
    if (c === chosen) {
      const note = rotationNote(ctx, memberIds, last);
      return candidate(c, 'chosen', skipped > 0 ? `${note}, the first eligible one` : note);
    }
    return candidate(c, 'not_this_turn', `eligible, but it is ${possessive(chosen?.name ?? '')} turn`);
  });
  return { chosen, candidates, update: chosen === null ? {} : { lastChosen: chosen.repId } };
}

/** Smooth weighted round-robin (nginx): over a cycle each eligible rep gets its weight's share, evenly spread. */
function weightedRoundRobin(ctx: Ctx, poolKey: string, team: Team): Decision {
  const weights = new Map<string, number>();
  for (const m of team.members) {
    if (!weights.has(m.repId)) weights.set(m.repId, Math.max(1, Math.floor(m.weight ?? 1)));
  }
  const ids = [...weights.keys()];
  const checked = ids.map((id) => checkOne(ctx, id));
  const eligible = checked.filter((c) => c.check.eligible);
  const prev = ctx.state.wrrCurrent(poolKey);
  const before = (id: string): number => {
    const v = prev[id];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const weight = (id: string): number => weights.get(id) ?? 1;
  const total = eligible.reduce((s, c) => s + weight(c.repId), 0);

  // Only reps in the team are carried over, so counters of reps who left do not pile up.
  const next: Record<string, number> = Object.fromEntries(ids.map((id) => [id, before(id)]));
  let chosen: Checked | null = null;
  for (const c of eligible) {
    next[c.repId] = before(c.repId) + weight(c.repId);
    // Strictly greater: ties go to the rep listed first.
    if (chosen === null || (next[c.repId] ?? 0) > (next[chosen.repId] ?? 0)) chosen = c;
  }
  if (chosen === null) {
    return { chosen: null, candidates: checked.map((c) => ineligible(c) ?? candidate(c, 'not_this_turn', 'eligible')), update: {} };
  }
  const top = next[chosen.repId] ?? 0;
  next[chosen.repId] = top - total;

  const share = (id: string): string => `weight ${weight(id)} of ${total}`;
  const candidates = checked.map((c): Candidate => {
    const out = ineligible(c);
    if (out !== null) return out;
    const score = before(c.repId) + weight(c.repId);
    if (c === chosen) return candidate(c, 'chosen', `highest running score, ${score}; ${share(c.repId)}`);
    return candidate(
      c,
      'not_this_turn',
      `eligible, but it is ${possessive(chosen?.name ?? '')} turn; running score ${score} vs ${top}, ${share(c.repId)}`,
    );
  });
  return { chosen, candidates, update: { wrrCurrent: next } };
}

/** The eligible rep with the fewest open leads; among equals the rotation decides, so ties still take turns. */
function loadBalanced(ctx: Ctx, poolKey: string, memberIds: readonly string[]): Decision {
  const last = ctx.state.lastChosen(poolKey);
  const checked = rotation(memberIds, last).map((id) => checkOne(ctx, id));
  const loads = new Map<string, number>();
  for (const c of checked) {
    if (!c.check.eligible) continue;
    const load = ctx.state.openLoad(c.repId);
    // A corrupt count must not make an eligible rep unpickable; read it as no load.
    loads.set(c.repId, Number.isFinite(load) ? load : 0);
  }
  let chosen: Checked | null = null;
  let min = Infinity;
  for (const c of checked) {
    const load = loads.get(c.repId);
    if (load !== undefined && load < min) {
      min = load;
      chosen = c;
    }
  }
  const listing = checked
    .filter((c) => loads.has(c.repId))
    .map((c) => `${c.name} ${loads.get(c.repId)}`)
    .join(', ');
  const tied = checked.filter((c) => c !== chosen && loads.get(c.repId) === min);
  const candidates = checked.map((c): Candidate => {
    const out = ineligible(c);
    if (out !== null) return out;
    const load = loads.get(c.repId) ?? 0;
    if (c === chosen) {
      const tie = tied.length > 0 ? `; tied at ${load} with ${tied.map((t) => t.name).join(', ')}, ${rotationNote(ctx, memberIds, last)}` : '';
      return candidate(c, 'chosen', `fewest open leads: ${listing}${tie}`);
    }
    const other = chosen?.name ?? '';
    if (load === min) return candidate(c, 'not_this_turn', `eligible with ${load} open leads too, but it is ${possessive(other)} turn`);
    return candidate(c, 'not_this_turn', `eligible, but has ${load} open leads and ${other} has ${min}`);
  });
  return { chosen, candidates, update: chosen === null ? {} : { lastChosen: chosen.repId } };
}

/** A single named rep (account owner, specific rep): chosen when eligible, else nobody. */
function single(ctx: Ctx, repId: string, why: string): Decision {
  const c = checkOne(ctx, repId);
  const out = ineligible(c);
  if (out !== null) return { chosen: null, candidates: [out], update: {} };
  return { chosen: c, candidates: [candidate(c, 'chosen', why)], update: {} };
}

const VERDICT_LABEL: Record<CandidateVerdict, string> = {
  chosen: 'chosen',
  not_this_turn: 'not this turn',
  inactive: 'inactive',
  out_of_office: 'out of office',
  outside_working_hours: 'outside working hours',
  over_daily_cap: 'over daily cap',
  over_open_cap: 'over open-lead cap',
  missing_skill: 'missing skill',
  previously_assigned: 'previously assigned',
  not_in_directory: 'not in directory',
};

/** One trace line per candidate: `Ana Diaz: chosen (next in rotation after Bo Li)`. */
export function candidateLine(c: Candidate): string {
  // Reasons of ruled-out reps already start with what ruled them out; repeating the label would stutter.
  if (c.verdict === 'chosen' || c.verdict === 'not_this_turn') return `${c.name}: ${VERDICT_LABEL[c.verdict]} (${c.reason})`;
  return `${c.name}: ${c.reason}`;
}

function result(
  poolKey: string | null,
  assignee: Assignee | null,
  headline: string,
  candidates: Candidate[],
  update: Omit<StateUpdate, 'poolKey'> = {},
): ChooseResult {
  return {
    assignee,
    candidates,
    poolKey,
    update: { poolKey, ...update },
    explanation: [headline, ...candidates.map(candidateLine)],
  };
}

const repAssignee = (c: Checked): Assignee => ({ type: 'rep', id: c.repId, name: c.name });

const STRATEGY_LABEL = {
  round_robin: 'round-robin',
  weighted_round_robin: 'weighted round-robin',
  load_balanced: 'load-balanced',
} as const;

function teamStrategy(
  ctx: Ctx,
  strategy: Extract<AssignStrategy, { type: 'round_robin' | 'weighted_round_robin' | 'load_balanced' }>,
): ChooseResult {
  const poolKey = `team:${strategy.teamId}`;
  const team = ctx.dir.teams.get(strategy.teamId);
  if (team === undefined) return result(poolKey, null, `No eligible rep: team ${strategy.teamId} is not in the directory`, []);
  const ids = unique(team.members.map((m) => m.repId));
  if (ids.length === 0) return result(poolKey, null, `No eligible rep in team ${team.name}: it has no members`, []);
  const d =
    strategy.type === 'round_robin'
      ? roundRobin(ctx, poolKey, ids)
      : strategy.type === 'weighted_round_robin'
        ? weightedRoundRobin(ctx, poolKey, team)
        : loadBalanced(ctx, poolKey, ids);
  if (d.chosen === null) return result(poolKey, null, `No eligible rep in team ${team.name}`, d.candidates, d.update);
  const headline = `Assigned to ${d.chosen.name} (${STRATEGY_LABEL[strategy.type]}, team ${team.name})`;
  return result(poolKey, repAssignee(d.chosen), headline, d.candidates, d.update);
}

function territoryStrategy(ctx: Ctx, strategy: Extract<AssignStrategy, { type: 'territory' }>): ChooseResult {
  const only = strategy.territoryIds === undefined ? null : new Set(strategy.territoryIds);
  // Directory order, not the list's: overlapping territories resolve the same way everywhere.
  const pool = only === null ? ctx.dir.territories : ctx.dir.territories.filter((t) => only.has(t.id));
  const where = formatLocation(leadLocation(ctx.lead));
  const territory = findTerritory(pool, ctx.lead);
  if (territory === null) {
    const among = only === null ? '' : pool.length === 0 ? ' (none of the listed territories is in the directory)' : ` among ${pool.map((t) => t.name).join(', ')}`;
    return result(null, null, `No territory covers the lead's location ${where}${among}`, []);
  }
  const poolKey = `territory:${territory.id}`;
  const ids = unique(territory.repIds ?? []);
  if (ids.length === 0) return result(poolKey, null, `No eligible rep in territory ${territory.name} (lead in ${where}): it has no reps`, []);
  const d = roundRobin(ctx, poolKey, ids);
  if (d.chosen === null) return result(poolKey, null, `No eligible rep in territory ${territory.name} (lead in ${where})`, d.candidates, d.update);
  const headline = `Assigned to ${d.chosen.name} (round-robin, territory ${territory.name}; lead in ${where})`;
  return result(poolKey, repAssignee(d.chosen), headline, d.candidates, d.update);
}

function accountOwnerStrategy(ctx: Ctx): ChooseResult {
  const v = ctx.lead.accountOwner;
  if (isMissing(v)) return result(null, null, 'No matched account owner', []);
  const ownerId = String(v).trim();
  const account = isMissing(ctx.lead.accountName) ? 'the matched account' : `account ${String(ctx.lead.accountName)}`;
  const d = single(ctx, ownerId, `owner of ${account}`);
  if (d.chosen === null) {
    const c = d.candidates[0];
    return result(null, null, `No eligible rep: account owner ${c?.name ?? ownerId} is not eligible (${c?.reason ?? 'unknown'})`, d.candidates);
  }
  return result(null, repAssignee(d.chosen), `Assigned to ${d.chosen.name} (account owner of ${account.replace(/^account /, '')})`, d.candidates);
}

function specificRepStrategy(ctx: Ctx, repId: string): ChooseResult {
  const d = single(ctx, repId, 'the rep this step names');
  if (d.chosen === null) {
    const c = d.candidates[0];
    return result(null, null, `No eligible rep: ${c?.name ?? repId} is not eligible (${c?.reason ?? 'unknown'})`, d.candidates);
  }
  return result(null, repAssignee(d.chosen), `Assigned to ${d.chosen.name} (specific rep)`, d.candidates);
}

/**
 * Chooses who gets a lead under a strategy: pure and deterministic, reading the state and returning the
 * changes to make. Every rep considered is in `candidates` with a verdict and a reason, to answer "why not me?".
 */
export function chooseAssignee(input: ChooseInput, dir: DirectoryIndex, state: RoutingStateView): ChooseResult {
  const ctx: Ctx = {
    dir,
    state,
    eligibility: input.eligibility,
    lead: input.lead,
    now: input.now,
    exclude: new Set(input.exclude),
  };
  const s = input.strategy;
  switch (s.type) {
    case 'round_robin':
    case 'weighted_round_robin':
    case 'load_balanced':
      return teamStrategy(ctx, s);
    case 'territory':
      return territoryStrategy(ctx, s);
    case 'account_owner':
      return accountOwnerStrategy(ctx);
    case 'specific_rep':
      return specificRepStrategy(ctx, s.repId);
    case 'queue': {
      const poolKey = `queue:${s.queueId}`;
      const q = dir.queues.get(s.queueId);
      if (q === undefined) return result(poolKey, null, `Nobody assigned: queue ${s.queueId} is not in the directory`, []);
      return result(poolKey, { type: 'queue', id: q.id, name: q.name }, `Assigned to queue ${q.name}`, []);
    }
    default: {
      const unknown: { type?: unknown } = s;
      return result(null, null, `Nobody assigned: unknown strategy ${String(unknown.type)}`, []);
    }
  }
}
