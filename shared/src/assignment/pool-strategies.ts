import { candidate, ineligible, nameOf, possessive, verdictOf, type Call, type Decision } from './choice';
import type { DirectoryIndex } from './directory-index';
import { textOf, type MemberText, type Pool } from './pool';
import { readCounters } from './state-internals';
import type { Candidate } from './types';

// ---------------------------------------------------------------------------------------------------------
// Strategies over a pool.

export function rotationNote(dir: DirectoryIndex, at: number, last: string | null): string {
  if (last === null) return 'first in rotation';
  if (at < 0) return `first in rotation (${nameOf(dir, last)}, who had the last turn, is no longer in the pool)`;
  return `next in rotation after ${nameOf(dir, last)}`;
}

/** Plain round-robin: the first eligible rep after the one who had the last turn (from the top if they left). */
export function roundRobin(call: Call, pool: Pool): Decision {
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
export function weightedRoundRobin(call: Call, pool: Pool): Decision {
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
export function loadBalanced(call: Call, pool: Pool): Decision {
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
