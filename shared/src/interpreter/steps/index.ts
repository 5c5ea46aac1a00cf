import type { NodeType } from '../../graph/node';
import type { Step } from '../step';
import { assignStep } from './assign';
import { branchStep } from './branch';
import { crmUpdateStep } from './crm-update';
import { endStep } from './end';
import { enrichStep } from './enrich';
import { escalateStep } from './escalate';
import { matchAccountStep } from './match-account';
import { notifyStep } from './notify';
import { scoreStep } from './score';
import { splitStep } from './split';
import { triggerStep } from './trigger';
import { updateStep } from './update';
import { waitStep } from './wait';

/** Every node kind's step. Exhaustive: a node kind without a step here fails to compile. */
export const STEPS: { readonly [T in NodeType]: Step<T> } = {
  trigger: triggerStep,
  branch: branchStep,
  split: splitStep,
  score: scoreStep,
  end: endStep,
  enrich: enrichStep,
  match_account: matchAccountStep,
  assign: assignStep,
  escalate: escalateStep,
  notify: notifyStep,
  update: updateStep,
  crm_update: crmUpdateStep,
  wait: waitStep,
};
