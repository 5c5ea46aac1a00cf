import { conditionFields } from '../conditions/check';
import type { GraphNode } from '../graph/node';
import { templateFields } from '../util/template';
import { conditionsOf } from './conditions-of';

/** The lead fields a node reads, unique, in a stable order: what the trace snapshots as the step's input. */
export function nodeReads(node: GraphNode): string[] {
  const out: string[] = [];
  const add = (keys: readonly string[]) => {
    for (const k of keys) if (!out.includes(k)) out.push(k);
  };
  for (const group of conditionsOf(node)) add(conditionFields(group));
  switch (node.type) {
    case 'assign': {
      const { strategy, eligibility } = node.config;
      if (eligibility.skillFromField !== undefined) add([eligibility.skillFromField]);
      if (strategy.type === 'territory') add(['country', 'state', 'postalCode']);
      if (strategy.type === 'account_owner') add(['accountOwner']);
      break;
    }
    case 'notify':
      add(templateFields(node.config.subject ?? ''));
      add(templateFields(node.config.message));
      break;
    case 'enrich':
      add(node.config.fields);
      // The provider looks the company up by these.
      add(['domain', 'email', 'website']);
      if (node.config.http) add(templateFields(node.config.http.urlTemplate));
      break;
    case 'match_account':
      add(['email', 'website', 'company']);
      break;
    case 'split':
      // The split is deterministic by lead id.
      add(['id']);
      break;
    default:
      break;
  }
  return out;
}
