import { formatLocation, inTerritory, leadLocation } from '../conditions/territory';
import type { Rep, Team, Territory } from '../directory/schema';
import { isMissing, type Lead } from '../fields/lead';
import type { AssignStrategy } from '../graph/nodes/assign';
import type { DirectoryIndex } from './directory-index';
import { checkContext, ineligibility, type EligibilityContext } from './rep-check';
import { readCounters } from './state-internals';
import type { Assignee, Candidate, CandidateVerdict, ChooseInput, ChooseResult, RoutingStateView, StateUpdate } from './types';

// A choice runs once per assign step of every lead, so this file is written for the hot path: pools are
// derived once per team or territory object, each rep is checked once without allocating when eligible,
// and every candidate, reason and explanation line is built in one or two passes over the pool.

/** What every strategy needs for one choice. */
interface Call {
  dir: DirectoryIndex;
  state: RoutingStateView;
  input: ChooseInput;
  /** Made when the first rep is checked: a choice that checks nobody reads nothing of the eligibility. */
  check: EligibilityContext | null;
  exclude: readonly string[];
  /** For long exclusion lists; null when a scan of `exclude` is quicker. */
  excludeSet: ReadonlySet<string> | null;
}

/** What a strategy decided over a pool: the candidates, their trace lines and the state update. */
interface Decision {
  chosen: Candidate | null;
  candidates: Candidate[];
  /** One line per candidate, after a slot left for the headline. */
  explanation: string[];
  update: StateUpdate;
}

const nameOf = (dir: DirectoryIndex, repId: string): string => dir.reps.get(repId)?.name ?? repId;

const possessive = (name: string): string => `${name}'s`;

function isExcluded(call: Call, repId: string): boolean {
  const set = call.excludeSet;
  if (set !== null) return set.has(repId);
  const ex = call.exclude;
  for (let i = 0; i < ex.length; i++) if (ex[i] === repId) return true;
  return false;
}

function checkOf(call: Call): EligibilityContext {
  if (call.check !== null) return call.check;
  const { eligibility, lead, now } = call.input;
  return (call.check = checkContext(eligibility, lead, now, call.state));
}

/** The reason the rep may not take the lead (its verdict in `verdictOf(call)`), or null when eligible. */
const ineligible = (call: Call, rep: Rep | undefined, repId: string): string | null =>
  ineligibility(rep, repId, isExcluded(call, repId), checkOf(call));

/** The verdict that goes with the reason `ineligible` returned last. */
const verdictOf = (call: Call): CandidateVerdict => checkOf(call).verdict;

const candidate = (repId: string, name: string, verdict: CandidateVerdict, reason: string): Candidate => ({ repId, name, verdict, reason });

// ---------------------------------------------------------------------------------------------------------
// Pools: a team's or territory's members, first occurrence of each id in order (a rep listed twice still gets
// one turn per round), with weights and the pool key. Derived once per team/territory object, and again if
// its member list is replaced or changes length.

interface Pool {
  src: readonly unknown[];
  length: number;
  /** The id the pool key was made from. */
  id: string;
  key: string;
  ids: readonly string[];
  /** Smooth weighted round-robin weight of each id: its first listing's, at least 1. */
  weights: readonly number[];
  /**
   * Every id as a counter at 0, in order, own data properties (even `__proto__`, as `Object.fromEntries`
   * makes them): weighted round-robin copies it and sets the counters, never adding a property.
   */
  counters: Readonly<Record<string, number>>;
  /** Text made from each member's name, made on first use (see `textOf`). */
  texts: (MemberText | undefined)[];
}

/**
 * The pieces of explanation a member's name makes, so a choice does not concatenate them again for every
 * lead: the same text as `candidateLine` and the reasons write, cut where the lead's figures go in.
 */
interface MemberText {
  /** The name these were made from: a directory with other reps' names gets its own. */
  name: string;
  /** `Ana Diaz: ` (a ruled-out rep's line, before the reason). */
  out: string;
  /** `Ana Diaz: chosen (` */
  chosen: string;
  /** `Ana Diaz: not this turn (` */
  notTurn: string;
  /** `eligible, but it is Ana Diaz's turn` */
  turn: string;
  /** `Ana Diaz ` (an entry of the load listing, before the load). */
  listed: string;
}

function textOf(pool: Pool, i: number, name: string): MemberText {
  let t = pool.texts[i];
  if (t === undefined || t.name !== name) {
    t = {
      name,
      out: `${name}: `,
      chosen: `${name}: ${VERDICT_LABEL.chosen} (`,
      notTurn: `${name}: ${VERDICT_LABEL.not_this_turn} (`,
      turn: `eligible, but it is ${possessive(name)} turn`,
      listed: `${name} `,
    };
    pool.texts[i] = t;
  }
  return t;
}

const teamPools = new WeakMap<Team, Pool>();
const territoryPools = new WeakMap<Territory, Pool>();
const NO_IDS: readonly string[] = [];

function makePool(src: readonly unknown[], id: string, key: string, members: readonly { repId: string; weight?: number }[]): Pool {
  const ids: string[] = [];
  const weights: number[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.repId)) continue;
    seen.add(m.repId);
    ids.push(m.repId);
    weights.push(Math.max(1, Math.floor(m.weight ?? 1)));
  }
  const counters: Record<string, number> = {};
  for (const repId of ids) Object.defineProperty(counters, repId, { value: 0, writable: true, enumerable: true, configurable: true });
  return { src, length: src.length, id, key, ids, weights, counters, texts: [] };
}

function teamPool(team: Team, teamId: string): Pool {
  const members = team.members;
  let pool = teamPools.get(team);
  if (pool === undefined || pool.src !== members || pool.length !== members.length || pool.id !== teamId) {
    pool = makePool(members, teamId, `team:${teamId}`, members);
    teamPools.set(team, pool);
  }
  return pool;
}

function territoryPool(territory: Territory): Pool {
  const repIds = territory.repIds ?? NO_IDS;
  let pool = territoryPools.get(territory);
  if (pool === undefined || pool.src !== repIds || pool.length !== repIds.length || pool.id !== territory.id) {
    pool = makePool(
      repIds,
      territory.id,
      `territory:${territory.id}`,
      repIds.map((repId) => ({ repId })),
    );
    territoryPools.set(territory, pool);
  }
  return pool;
}

// ---------------------------------------------------------------------------------------------------------
// Strategies over a pool.

function rotationNote(dir: DirectoryIndex, at: number, last: string | null): string {
  if (last === null) return 'first in rotation';
  if (at < 0) return `first in rotation (${nameOf(dir, last)}, who had the last turn, is no longer in the pool)`;
  return `next in rotation after ${nameOf(dir, last)}`;
}

/** Plain round-robin: the first eligible rep after the one who had the last turn (from the top if they left). */
function roundRobin(call: Call, pool: Pool): Decision {
  const { ids, key } = pool;
  const n = ids.length;
  const last = call.state.lastChosen(key);
  const at = last === null ? -1 : ids.indexOf(last);
  const reps = call.dir.reps;
  const candidates: Candidate[] = [];
  const explanation: string[] = [''];
  let chosen: Candidate | null = null;
  // The reason, and the end of the line, of every eligible rep after the chosen one.
  let turn = '';
  let turnLineEnd = '';
  for (let k = 0, i = at + 1; k < n; k++, i++) {
    if (i === n) i = 0;
    const id = ids[i] as string;
    const rep = reps.get(id);
    const name = rep?.name ?? id;
    const t = textOf(pool, i, name);
    const out = ineligible(call, rep, id);
    if (out !== null) {
      candidates.push(candidate(id, name, verdictOf(call), out));
      explanation.push(t.out + out);
    } else if (chosen === null) {
      const note = rotationNote(call.dir, at, last);
      const reason = k > 0 ? `${note}, the first eligible one` : note;
      chosen = candidate(id, name, 'chosen', reason);
      candidates.push(chosen);
      explanation.push(`${t.chosen}${reason})`);
      turn = t.turn;
      turnLineEnd = `${turn})`;
    } else {
      candidates.push(candidate(id, name, 'not_this_turn', turn));
      explanation.push(t.notTurn + turnLineEnd);
    }
  }
  return { chosen, candidates, explanation, update: chosen === null ? { poolKey: key } : { poolKey: key, lastChosen: chosen.repId } };
}

/** Smooth weighted round-robin (nginx): over a cycle each eligible rep gets its weight's share, evenly spread. */
function weightedRoundRobin(call: Call, pool: Pool): Decision {
  const { ids, weights, key } = pool;
  const n = ids.length;
  const reps = call.dir.reps;
  const prev = readCounters(call.state, key);
  const candidates: (Candidate | null)[] = [];
  const explanation: string[] = [''];
  // Running score before this choice, and name, per member, for the second pass.
  const before: number[] = [];
  const names: string[] = [];
  let total = 0;
  let best = -1;
  let top = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    const v = prev[id];
    const b = typeof v === 'number' && Number.isFinite(v) ? v : 0;
    before.push(b);
    const rep = reps.get(id);
    const name = rep?.name ?? id;
    names.push(name);
    const out = ineligible(call, rep, id);
    if (out !== null) {
      candidates.push(candidate(id, name, verdictOf(call), out));
      explanation.push(textOf(pool, i, name).out + out);
      continue;
    }
    const score = b + (weights[i] as number);
    total += weights[i] as number;
    // Strictly greater: ties go to the rep listed first.
    if (best < 0 || score > top) {
      best = i;
      top = score;
    }
    candidates.push(null);
    explanation.push('');
  }
  if (best < 0) return { chosen: null, candidates: candidates as Candidate[], explanation, update: { poolKey: key } };

  // Only reps in the team are carried over, so counters of reps who left do not pile up.
  const next: Record<string, number> = { ...pool.counters };
  const chosenName = names[best] as string;
  // What every passed-over reason shares: `eligible, but it is Ana Diaz's turn; running score 1 vs 5, weight 1 of 7`.
  const turnScore = `${textOf(pool, best, chosenName).turn}; running score `;
  const vsTop = ` vs ${top}, weight `;
  const ofTotal = ` of ${total}`;
  let chosen: Candidate | null = null;
  for (let i = 0; i < n; i++) {
    const id = ids[i] as string;
    const b = before[i] as number;
    if (candidates[i] !== null) {
      next[id] = b;
      continue;
    }
    const w = weights[i] as number;
    const score = b + w;
    const t = textOf(pool, i, names[i] as string);
    let c: Candidate;
    if (i === best) {
      next[id] = score - total;
      const reason = `highest running score, ${score}; weight ${w}${ofTotal}`;
      c = candidate(id, chosenName, 'chosen', reason);
      explanation[i + 1] = `${t.chosen}${reason})`;
      chosen = c;
    } else {
      next[id] = score;
      const reason = `${turnScore}${score}${vsTop}${w}${ofTotal}`;
      c = candidate(id, t.name, 'not_this_turn', reason);
      explanation[i + 1] = `${t.notTurn}${reason})`;
    }
    candidates[i] = c;
  }
  return { chosen, candidates: candidates as Candidate[], explanation, update: { poolKey: key, wrrCurrent: next } };
}

/** The eligible rep with the fewest open leads; among equals the rotation decides, so ties still take turns. */
function loadBalanced(call: Call, pool: Pool): Decision {
  const { ids, key } = pool;
  const n = ids.length;
  const state = call.state;
  const last = state.lastChosen(key);
  const at = last === null ? -1 : ids.indexOf(last);
  const reps = call.dir.reps;
  const candidates: (Candidate | null)[] = [];
  const explanation: string[] = [''];
  // Per position in turn order: the member's index and open load (NaN for a ruled-out rep).
  const order: number[] = [];
  const loads: number[] = [];
  let best = -1;
  let min = Infinity;
  for (let k = 0, i = at + 1; k < n; k++, i++) {
    if (i === n) i = 0;
    const id = ids[i] as string;
    const rep = reps.get(id);
    const name = rep?.name ?? id;
    const t = textOf(pool, i, name);
    order.push(i);
    const out = ineligible(call, rep, id);
    if (out !== null) {
      candidates.push(candidate(id, name, verdictOf(call), out));
      explanation.push(t.out + out);
      loads.push(NaN);
      continue;
    }
    const raw = state.openLoad(id);
    // A corrupt count must not make an eligible rep unpickable; read it as no load.
    const load = Number.isFinite(raw) ? raw : 0;
    loads.push(load);
    if (load < min) {
      min = load;
      best = k;
    }
    candidates.push(null);
    explanation.push('');
  }
  if (best < 0) return { chosen: null, candidates: candidates as Candidate[], explanation, update: { poolKey: key } };

  // Texts were made for every member in the first pass.
  const texts = pool.texts as MemberText[];
  let listing = '';
  let listed = 0;
  let tied = '';
  let ties = 0;
  for (let k = 0; k < n; k++) {
    const load = loads[k] as number;
    if (Number.isNaN(load)) continue; // ruled out
    const t = texts[order[k] as number] as MemberText;
    listing = listed++ === 0 ? `${t.listed}${load}` : `${listing}, ${t.listed}${load}`;
    if (k !== best && load === min) tied = ties++ === 0 ? t.name : `${tied}, ${t.name}`;
  }
  const other = (texts[order[best] as number] as MemberText).name;
  // The ends of passed-over reasons, the same for every rep they fit.
  const tooTurn = ` open leads too, but it is ${possessive(other)} turn`;
  const otherHas = ` open leads and ${other} has ${min}`;
  let chosen: Candidate | null = null;
  for (let k = 0; k < n; k++) {
    const load = loads[k] as number;
    if (Number.isNaN(load)) continue;
    const t = texts[order[k] as number] as MemberText;
    const id = ids[order[k] as number] as string;
    let c: Candidate;
    if (k === best) {
      const tie = ties > 0 ? `; tied at ${load} with ${tied}, ${rotationNote(call.dir, at, last)}` : '';
      const reason = `fewest open leads: ${listing}${tie}`;
      c = candidate(id, other, 'chosen', reason);
      explanation[k + 1] = `${t.chosen}${reason})`;
      chosen = c;
    } else {
      const reason = load === min ? `eligible with ${load}${tooTurn}` : `eligible, but has ${load}${otherHas}`;
      c = candidate(id, t.name, 'not_this_turn', reason);
      explanation[k + 1] = `${t.notTurn}${reason})`;
    }
    candidates[k] = c;
  }
  return { chosen, candidates: candidates as Candidate[], explanation, update: { poolKey: key, lastChosen: ids[order[best] as number] as string } };
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

/** A result without candidates: the headline is the whole explanation. */
function plain(poolKey: string | null, assignee: Assignee | null, headline: string): ChooseResult {
  return { assignee, candidates: [], poolKey, update: { poolKey }, explanation: [headline] };
}

/** The result of a decision, its headline put in the slot left for it. */
function decided(d: Decision, headline: string): ChooseResult {
  d.explanation[0] = headline;
  const assignee: Assignee | null = d.chosen === null ? null : { type: 'rep', id: d.chosen.repId, name: d.chosen.name };
  return { assignee, candidates: d.candidates, poolKey: d.update.poolKey, update: d.update, explanation: d.explanation };
}

const STRATEGY_LABEL = {
  round_robin: 'round-robin',
  weighted_round_robin: 'weighted round-robin',
  load_balanced: 'load-balanced',
} as const;

function teamStrategy(
  call: Call,
  strategy: Extract<AssignStrategy, { type: 'round_robin' | 'weighted_round_robin' | 'load_balanced' }>,
): ChooseResult {
  const team = call.dir.teams.get(strategy.teamId);
  if (team === undefined) return plain(`team:${strategy.teamId}`, null, `No eligible rep: team ${strategy.teamId} is not in the directory`);
  const pool = teamPool(team, strategy.teamId);
  if (pool.ids.length === 0) return plain(pool.key, null, `No eligible rep in team ${team.name}: it has no members`);
  const d =
    strategy.type === 'round_robin'
      ? roundRobin(call, pool)
      : strategy.type === 'weighted_round_robin'
        ? weightedRoundRobin(call, pool)
        : loadBalanced(call, pool);
  if (d.chosen === null) return decided(d, `No eligible rep in team ${team.name}`);
  return decided(d, `Assigned to ${d.chosen.name} (${STRATEGY_LABEL[strategy.type]}, team ${team.name})`);
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
  const d = roundRobin(call, reps);
  if (d.chosen === null) return decided(d, `No eligible rep in territory ${territory.name} (lead in ${where})`);
  return decided(d, `Assigned to ${d.chosen.name} (round-robin, territory ${territory.name}; lead in ${where})`);
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
