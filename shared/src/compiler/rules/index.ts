import type { Rule } from '../context';
import { checkConditions } from './conditions';
import { checkCrmUpdates } from './crm-update';
import { checkCycles } from './cycles';
import { checkDirectoryReferences } from './directory';
import { checkEdges } from './edges';
import { checkFields } from './fields';
import { checkOutcomes } from './outcomes';
import { checkPatternBudget } from './patterns';
import { checkReachability } from './reachability';
import { checkScores } from './score';
import { checkSecrets } from './secrets';
import { checkSize } from './size';
import { checkSplits } from './split';
import { checkTriggers } from './triggers';

/** Every rule the compiler runs, by name (the name appears in the problem if a rule itself fails). */
export const RULES: ReadonlyArray<readonly [name: string, rule: Rule]> = [
  ['size', checkSize],
  ['triggers', checkTriggers],
  ['edges', checkEdges],
  ['outcomes', checkOutcomes],
  ['reachability', checkReachability],
  ['cycles', checkCycles],
  ['conditions', checkConditions],
  ['patterns', checkPatternBudget],
  ['split', checkSplits],
  ['score', checkScores],
  ['fields', checkFields],
  ['crm_update', checkCrmUpdates],
  ['directory', checkDirectoryReferences],
  ['secrets', checkSecrets],
];
