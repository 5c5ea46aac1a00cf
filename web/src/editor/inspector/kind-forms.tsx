import type { GraphNode, NodeType } from '@lead-router/shared';
import type { ComponentType } from 'react';
import { AssignForm } from '../nodes/assign/inspector';
import { BranchForm } from '../nodes/branch/inspector';
import { EndForm } from '../nodes/end/inspector';
import { EscalateForm } from '../nodes/escalate/inspector';
import { NotifyForm } from '../nodes/notify/inspector';
import { SplitForm } from '../nodes/split/inspector';
import { TriggerForm } from '../nodes/trigger/inspector';
import { UpdateForm } from '../nodes/update/inspector';
import { WaitForm } from '../nodes/wait/inspector';
import type { FormProps } from './form-props';
import { JsonConfigForm } from './json-config-form';

type AnyForm = ComponentType<{ config: never; onChange: (config: never) => void }>;

// The table is keyed by kind at run time; each form's own props stay precisely typed in its file.
const erase = <T extends NodeType>(form: ComponentType<FormProps<T>>): AnyForm => form as unknown as AnyForm;

/** The form of each kind; kinds without one are edited as JSON. */
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
};

/** The settings form of a node's kind. */
export function KindForm({ node, onChange }: { node: GraphNode; onChange: (config: unknown) => void }) {
  const Form = FORMS[node.type] ?? (JsonConfigForm as AnyForm);
  return <Form key={node.id} config={node.config as never} onChange={onChange as (c: never) => void} />;
}
