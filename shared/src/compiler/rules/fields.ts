import { problem, type Problem } from '../../errors';
import type { FieldDef } from '../../fields/catalog';
import type { GraphNode, GraphNodeOf } from '../../graph/node';
import { templateFields } from '../../util/template';
import type { RuleContext } from '../context';
import { didYouMean, quote, stepName } from '../names';

/**
 * Fields that steps fill, write, read for skills or put into messages exist in the catalog; update steps
 * write only fields people own, with values of the field's type; providers and channels have what they need.
 */
export function checkFields(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    switch (node.type) {
      case 'enrich':
        out.push(...checkEnrich(ctx, node));
        break;
      case 'update':
        out.push(...checkUpdate(ctx, node));
        break;
      case 'assign': {
        const key = node.config.eligibility.skillFromField;
        if (key !== undefined && !ctx.catalog.fields.has(key)) {
          out.push(
            problem(
              'unknown_field',
              `${stepName(node)} matches skills to the field ${quote(key)}, which is not a lead field.${didYouMean(key, ctx.suggest)} Pick a field from the catalog, or add it as a custom field.`,
              { nodeId: node.id, path: 'config.eligibility.skillFromField' },
            ),
          );
        }
        break;
      }
      case 'notify':
        out.push(...checkNotify(ctx, node));
        break;
      default:
        break;
    }
  }
  return out;
}

function unknownField(ctx: RuleContext, node: GraphNode, key: string, doing: string, path: string): Problem {
  return problem(
    'unknown_field',
    `${stepName(node)} ${doing} ${quote(key)}, which is not a lead field.${didYouMean(key, ctx.suggest)} Pick a field from the catalog, or add it as a custom field.`,
    { nodeId: node.id, path },
  );
}

/** Why a field may not be written by a step, or null when it may. */
function readonlyReason(def: FieldDef): string | null {
  if (def.type === 'location') return `${quote(def.label)} is made of country, state and postal code; set those fields instead.`;
  if (def.system) return `${quote(def.label)} is set by the router itself (scores, grades, owner and account come from their own steps).`;
  return null;
}

function checkEnrich(ctx: RuleContext, node: GraphNodeOf<'enrich'>): Problem[] {
  const out: Problem[] = [];
  node.config.fields.forEach((key, i) => {
    const path = `config.fields.${i}`;
    const def = ctx.catalog.fields.get(key);
    if (!def) {
      out.push(unknownField(ctx, node, key, 'is set to fill', path));
      return;
    }
    const why = readonlyReason(def);
    if (why) out.push(problem('readonly_field', `${stepName(node)} cannot fill ${quote(def.label)}: ${why}`, { nodeId: node.id, path }));
  });
  const http = node.config.http;
  if (node.config.provider === 'http' && !http) {
    out.push(
      problem(
        'invalid_node',
        `${stepName(node)} uses an HTTP provider but has no HTTP settings. Add the URL to call and which response values fill which fields.`,
        { nodeId: node.id, path: 'config.http' },
      ),
    );
  }
  if (node.config.provider === 'http' && http) {
    for (const key of templateFields(http.urlTemplate)) {
      if (!ctx.catalog.fields.has(key)) {
        out.push(
          problem(
            'template_unknown_field',
            `The URL of ${stepName(node)} uses {{${key}}}, which is not a lead field.${didYouMean(key, ctx.suggest)} Use a field from the catalog.`,
            { nodeId: node.id, path: 'config.http.urlTemplate' },
          ),
        );
      }
    }
    for (const key of Object.keys(http.mapping)) {
      if (!ctx.catalog.fields.has(key)) out.push(unknownField(ctx, node, key, 'maps a response value to', `config.http.mapping.${key}`));
    }
  }
  return out;
}

function checkUpdate(ctx: RuleContext, node: GraphNodeOf<'update'>): Problem[] {
  const out: Problem[] = [];
  node.config.set.forEach((entry, i) => {
    const def = ctx.catalog.fields.get(entry.field);
    if (!def) {
      out.push(unknownField(ctx, node, entry.field, 'sets', `config.set.${i}.field`));
      return;
    }
    const why = readonlyReason(def);
    if (why) {
      out.push(problem('readonly_field', `${stepName(node)} cannot set ${quote(def.label)}: ${why}`, { nodeId: node.id, path: `config.set.${i}.field` }));
      return;
    }
    // null clears the field, whatever its type.
    if (entry.value === null) return;
    const wrong = valueProblem(def, entry.value);
    if (wrong) out.push(problem('invalid_value', `${stepName(node)} sets ${quote(def.label)} to ${shown(entry.value)}, but ${wrong}`, { nodeId: node.id, path: `config.set.${i}.value` }));
  });
  return out;
}

function shown(value: string | number | boolean): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

// YYYY-MM-DD, optionally with a time and a zone: what the lead normaliser accepts for date fields.
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?$/;

/** What is wrong with a value for a field, in words, or null when it fits. */
function valueProblem(def: FieldDef, value: string | number | boolean): string | null {
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? null : 'it is a text field: enter the value as text.';
    case 'number':
      return typeof value === 'number' ? null : 'it is a number field: enter a number.';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'it is a yes/no field: choose true or false.';
    case 'date':
      return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : 'it is a date field: enter a date such as 2025-01-31 (or 2025-01-31T09:00:00Z).';
    case 'picklist': {
      if (typeof value !== 'string') return `it is a picklist: choose one of its options.`;
      const options = def.options ?? [];
      if (options.length === 0 || options.includes(value)) return null;
      const near = options.find((o) => o.toLowerCase() === value.toLowerCase());
      return near !== undefined
        ? `the picklist's option is spelled ${quote(near)}.`
        : `it is a picklist with the options ${options.slice(0, 20).map(quote).join(', ')}${options.length > 20 ? ', ...' : ''}.`;
    }
    case 'location':
      return 'location cannot be set.';
  }
}

function checkNotify(ctx: RuleContext, node: GraphNodeOf<'notify'>): Problem[] {
  const out: Problem[] = [];
  const templates: Array<[string, string | undefined]> = [
    ['config.subject', node.config.subject],
    ['config.message', node.config.message],
  ];
  for (const [path, text] of templates) {
    if (text === undefined) continue;
    for (const key of templateFields(text)) {
      if (ctx.catalog.fields.has(key)) continue;
      out.push(
        problem(
          'template_unknown_field',
          `The ${path === 'config.subject' ? 'subject' : 'message'} of ${stepName(node)} uses {{${key}}}, which is not a lead field.${didYouMean(key, ctx.suggest)} Use a field from the catalog.`,
          { nodeId: node.id, path },
        ),
      );
    }
  }
  const { channel, url } = node.config;
  if ((channel === 'slack' || channel === 'webhook') && url === undefined) {
    const what = channel === 'slack' ? 'the Slack incoming-webhook URL' : 'the URL to send the webhook to';
    out.push(problem('invalid_node', `${stepName(node)} sends to ${channel === 'slack' ? 'Slack' : 'a webhook'} but has no URL. Add ${what}.`, { nodeId: node.id, path: 'config.url' }));
  }
  return out;
}
