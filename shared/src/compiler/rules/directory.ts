import type { Directory } from '../../directory/schema';
import { problem, type Problem } from '../../errors';
import type { GraphNode } from '../../graph/node';
import type { RuleContext } from '../context';
import { listWords, quote, stepName } from '../names';

/**
 * Reps, teams, queues and territories that steps name exist in the directory. Skipped without a directory
 * (the canvas may validate before one is loaded); the directory is a snapshot, so this is re-checked on publish.
 */
export function checkDirectoryReferences(ctx: RuleContext): Problem[] {
  const dir = ctx.directory;
  if (!dir) return [];
  const lookup = indexDirectory(dir);
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) out.push(...checkNode(node, lookup));
  return out;
}

interface Lookup {
  reps: ReadonlySet<string>;
  teams: ReadonlyMap<string, Directory['teams'][number]>;
  queues: ReadonlySet<string>;
  territories: ReadonlySet<string>;
}

function indexDirectory(dir: Directory): Lookup {
  const teams = new Map<string, Directory['teams'][number]>();
  for (const t of dir.teams) if (!teams.has(t.id)) teams.set(t.id, t);
  return {
    reps: new Set(dir.reps.map((r) => r.id)),
    teams,
    queues: new Set(dir.queues.map((q) => q.id)),
    territories: new Set(dir.territories.map((t) => t.id)),
  };
}

function checkNode(node: GraphNode, dir: Lookup): Problem[] {
  const out: Problem[] = [];
  const name = stepName(node);
  const at = (path: string) => ({ nodeId: node.id, path });
  switch (node.type) {
    case 'assign': {
      const s = node.config.strategy;
      switch (s.type) {
        case 'specific_rep':
          if (!dir.reps.has(s.repId)) out.push(problem('unknown_rep', `${name} assigns to the rep ${quote(s.repId)}, who is not in the directory. Pick a rep from the directory.`, at('config.strategy.repId')));
          break;
        case 'round_robin':
        case 'weighted_round_robin':
        case 'load_balanced': {
          const team = dir.teams.get(s.teamId);
          if (!team) {
            out.push(problem('unknown_team', `${name} assigns within the team ${quote(s.teamId)}, which is not in the directory. Pick a team from the directory.`, at('config.strategy.teamId')));
            break;
          }
          const missing = [...new Set(team.members.map((m) => m.repId).filter((id) => !dir.reps.has(id)))];
          const known = team.members.filter((m) => dir.reps.has(m.repId));
          if (team.members.length === 0) {
            out.push(problem('empty_team', `${name} assigns within the team ${quote(team.name)}, which has no members, so no lead could be assigned. Add reps to the team, or pick another team.`, at('config.strategy.teamId')));
          } else if (known.length === 0) {
            out.push(problem('empty_team', `${name} assigns within the team ${quote(team.name)}, but none of its members are in the directory, so no lead could be assigned. Add reps to the team, or pick another team.`, at('config.strategy.teamId')));
          } else if (missing.length > 0) {
            // Still routable through the other members, so a warning: the run would skip these reps.
            out.push({
              ...problem('unknown_rep', `The team ${quote(team.name)} used by ${name} lists ${listWords(missing.slice(0, 10).map(quote))}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}, not in the directory; leads will skip ${missing.length === 1 ? 'that rep' : 'those reps'}. Remove them from the team or add them to the directory.`, at('config.strategy.teamId')),
              severity: 'warning',
            });
          }
          break;
        }
        case 'territory':
          (s.territoryIds ?? []).forEach((id, i) => {
            if (!dir.territories.has(id)) out.push(problem('unknown_territory', `${name} assigns within the territory ${quote(id)}, which is not in the directory. Pick a territory from the directory.`, at(`config.strategy.territoryIds.${i}`)));
          });
          break;
        case 'queue':
          if (!dir.queues.has(s.queueId)) out.push(problem('unknown_queue', `${name} assigns to the queue ${quote(s.queueId)}, which is not in the directory. Pick a queue from the directory.`, at('config.strategy.queueId')));
          break;
        case 'account_owner':
          break;
      }
      break;
    }
    case 'escalate':
      if (node.config.to === 'queue' && !dir.queues.has(node.config.queueId)) {
        out.push(problem('unknown_queue', `${name} escalates to the queue ${quote(node.config.queueId)}, which is not in the directory. Pick a queue from the directory.`, at('config.queueId')));
      }
      break;
    case 'notify': {
      const r = node.config.recipient;
      if (r.type === 'rep' && !dir.reps.has(r.repId)) {
        out.push(problem('unknown_rep', `${name} notifies the rep ${quote(r.repId)}, who is not in the directory. Pick a rep from the directory.`, at('config.recipient.repId')));
      }
      break;
    }
    default:
      break;
  }
  return out;
}
