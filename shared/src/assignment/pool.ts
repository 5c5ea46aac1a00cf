import type { Team, Territory } from '../directory/schema';
import { possessive, VERDICT_LABEL } from './choice';

// ---------------------------------------------------------------------------------------------------------
// Pools: a team's or territory's members, first occurrence of each id in order (a rep listed twice still gets
// one turn per round), with weights and the pool key. Derived once per team/territory object, and again if
// its member list is replaced or changes length.

export interface Pool {
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
export interface MemberText {
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

export function textOf(pool: Pool, i: number, name: string): MemberText {
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
export const NO_IDS: readonly string[] = [];

export function makePool(src: readonly unknown[], id: string, key: string, members: readonly { repId: string; weight?: number }[]): Pool {
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

export function teamPool(team: Team, teamId: string): Pool {
  const members = team.members;
  let pool = teamPools.get(team);
  if (pool === undefined || pool.src !== members || pool.length !== members.length || pool.id !== teamId) {
    pool = makePool(members, teamId, `team:${teamId}`, members);
    teamPools.set(team, pool);
  }
  return pool;
}

export function territoryPool(territory: Territory): Pool {
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
