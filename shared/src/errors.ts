import { z } from 'zod';

/**
 * The registry of problem codes. Every problem the compiler, the lead validator or the graph parser
 * reports carries one of these codes, so the web can explain it and tests can assert on it.
 */
export const PROBLEM_CODES = {
  // Graph document structure
  invalid_document: 'The graph document is not in the expected shape.',
  unsupported_schema_version: 'The graph was saved by a newer version of the product.',
  invalid_node: 'A node is missing something it needs or has a value of the wrong kind.',
  invalid_edge: 'A connection is missing something it needs.',
  duplicate_node_id: 'Two nodes share the same id.',
  unknown_node_type: 'The node type is not one this product knows.',
  graph_too_large: 'The graph has more nodes or connections than a routing graph may have.',
  invalid_note: 'A sticky note is not in the expected shape or is too large.',
  internal_error: 'The product failed while checking the graph; this is a bug in the product, not in the graph.',
  // Topology
  no_trigger: 'The graph needs a trigger to start from.',
  multiple_triggers: 'A graph can have only one trigger.',
  unreachable_node: 'No path from the trigger reaches this node.',
  dangling_edge: 'A connection points to a node that does not exist.',
  unknown_outcome: 'A connection leaves from an outcome the node does not have.',
  duplicate_edge: 'The same outcome is connected twice.',
  unconnected_outcome: 'An outcome of this node leads nowhere.',
  branch_missing_else: 'A branch needs its "else" outcome connected, for leads that match no case.',
  cycle_without_wait: 'A loop without a wait step would route a lead forever.',
  end_has_outgoing: 'An end step cannot lead anywhere.',
  trigger_has_incoming: 'Nothing may lead back into the trigger.',
  // Conditions and values
  unknown_field: 'The field is not in the field catalog.',
  operator_type_mismatch: 'The operator cannot be used with this type of field.',
  invalid_value: 'The value does not fit the field or the operator.',
  pattern_rejected: 'The pattern is not allowed (too long or not supported by the safe pattern engine).',
  patterns_too_costly: 'The graph has more patterns, or larger ones, than one lead may be checked against.',
  condition_too_deep: 'Conditions are nested too deeply.',
  empty_condition_group: 'A condition group has no conditions.',
  duplicate_case_id: 'Two cases of a branch share the same id.',
  duplicate_rule_id: 'Two rules of a score step share the same id.',
  // Configuration
  weights_do_not_add_up: 'The split percentages must add up to 100.',
  duplicate_variant_id: 'Two variants of a split share the same id.',
  invalid_grade_thresholds: 'Grade thresholds must be distinct.',
  template_unknown_field: 'The message template uses a field that is not in the field catalog.',
  readonly_field: 'This field is set by the router itself and cannot be written here.',
  crm_update_empty: 'The CRM update writes nothing: choose the owner, a field or a task.',
  duplicate_crm_field: 'The CRM update writes the same CRM field twice.',
  // Secrets
  invalid_secret_reference: 'A secret reference is not written as {{secret.NAME}} with an upper-case name.',
  unknown_secret: 'The secret is not set in this workspace.',
  plain_credential: 'A credential is written in plain text in the graph; store it as a secret and name it instead.',
  // Directory references
  unknown_rep: 'The rep is not in the directory.',
  unknown_team: 'The team is not in the directory.',
  unknown_queue: 'The queue is not in the directory.',
  unknown_territory: 'The territory is not in the directory.',
  empty_team: 'The team has no members to assign to.',
  // Leads
  invalid_lead: 'The lead is not a JSON object.',
  invalid_field_value: 'A lead field has a value of the wrong type.',
  // Directory documents
  invalid_directory: 'The directory document is not in the expected shape.',
} as const;

/** A problem code from the registry. */
export type ProblemCode = keyof typeof PROBLEM_CODES;

/**
 * The one problem shape used everywhere: a code, a message a RevOps person understands, and where it is.
 * `path` is a dotted path inside the node (e.g. `config.cases.0.condition.conditions.1.value`).
 */
export interface Problem {
  code: ProblemCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  path?: string;
  severity: 'error' | 'warning';
}

/** The schema of a Problem, for those who send or read one (the server's draft responses). */
export const ProblemSchema = z.object({
  code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.string().optional(),
  severity: z.enum(['error', 'warning']),
});
// The interface above and the schema describe one shape: a field added to one and not the other fails here.
const problemMatches: [z.infer<typeof ProblemSchema>] extends [Problem] ? ([Problem] extends [z.infer<typeof ProblemSchema>] ? true : false) : false = true;
void problemMatches;

/** Builds an error-severity problem. */
export function problem(
  code: ProblemCode,
  message: string,
  where: { nodeId?: string; edgeId?: string; path?: string } = {},
): Problem {
  const p: Problem = { code, message, severity: 'error' };
  if (where.nodeId !== undefined) p.nodeId = where.nodeId;
  if (where.edgeId !== undefined) p.edgeId = where.edgeId;
  if (where.path !== undefined && where.path !== '') p.path = where.path;
  return p;
}

/** Joins a zod-style path into the dotted form problems use. */
export function joinPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((k) => String(k)).join('.');
}
