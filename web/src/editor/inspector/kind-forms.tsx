import type { GraphNode, NodeType } from '@lead-router/shared';
import { useState, type ComponentType } from 'react';
import { AssignForm } from '../nodes/assign/inspector';
import { BranchForm } from '../nodes/branch/inspector';
import { EndForm } from '../nodes/end/inspector';
import { EnrichForm } from '../nodes/enrich/inspector';
import { EscalateForm } from '../nodes/escalate/inspector';
import { MatchAccountForm } from '../nodes/match-account/inspector';
import { NotifyForm } from '../nodes/notify/inspector';
import { ScoreForm } from '../nodes/score/inspector';
import { SplitForm } from '../nodes/split/inspector';
import { TriggerForm } from '../nodes/trigger/inspector';
import { UpdateForm } from '../nodes/update/inspector';
import { WaitForm } from '../nodes/wait/inspector';
import type { FormProps } from './form-props';
import { JsonConfigForm } from './json-config-form';

type AnyForm = ComponentType<{ config: never; onChange: (config: never) => void }>;

// The table is keyed by kind at run time; each form's own props stay precisely typed in its file.
const erase = <T extends NodeType>(form: ComponentType<FormProps<T>>): AnyForm => form as unknown as AnyForm;

/** The form of each kind; a kind without one is edited as JSON. */
const FORMS: Partial<Record<NodeType, AnyForm>> = {
  trigger: erase(TriggerForm),
  branch: erase(BranchForm),
  split: erase(SplitForm),
  assign: erase(AssignForm),
  notify: erase(NotifyForm),
  wait: erase(WaitForm),
  escalate: erase(EscalateForm),
  update: erase(UpdateForm),
  end: erase(EndForm),
  score: erase(ScoreForm),
  enrich: erase(EnrichForm),
  match_account: erase(MatchAccountForm),
};

/**
 * The settings form of a node's kind, with "Edit as JSON" as a fallback (pasting a rule table, say). The JSON
 * box is only rendered while open, so its label never shadows the form's own controls.
 */
export function KindForm({ node, onChange }: { node: GraphNode; onChange: (config: unknown) => void }) {
  // Keyed by node: selecting another step starts on its form.
  return <KindFormOf key={node.id} node={node} onChange={onChange} />;
}

function KindFormOf({ node, onChange }: { node: GraphNode; onChange: (config: unknown) => void }) {
  const [asJson, setAsJson] = useState(false);
  const Form = FORMS[node.type];
  if (!Form) return <JsonConfigForm config={node.config} onChange={onChange as (c: never) => void} />;
  return (
    <>
      {asJson ? <JsonConfigForm config={node.config} onChange={onChange as (c: never) => void} /> : <Form config={node.config as never} onChange={onChange as (c: never) => void} />}
      <button type="button" aria-pressed={asJson} onClick={() => setAsJson(!asJson)}>
        {asJson ? 'Back to the form' : 'Edit as JSON'}
      </button>
    </>
  );
}
