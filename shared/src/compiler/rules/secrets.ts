import { problem, type Problem } from '../../errors';
import type { GraphNode } from '../../graph/node';
import { credentialQueryParams, isCredentialHeader, isSlackWebhookUrl, SECRET_NAME_PATTERN, secretRefs } from '../../secrets';
import type { RuleContext } from '../context';
import { quote, stepName } from '../names';

/**
 * Secrets in outbound calls (shared/src/secrets.ts): every `{{secret.NAME}}` is well formed and, when the
 * workspace's secret names are known (the server's checks and the publish gate), set; a credential written in
 * plain text (an Authorization or API-key header, an `api_key` query parameter, a Slack webhook URL, a password
 * in a URL) is a warning: it still runs, but anyone who can read the graph or its versions can read it.
 */
export function checkSecrets(ctx: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const node of ctx.graph.nodes) {
    for (const [path, text] of secretBearing(node)) {
      out.push(...checkRefs(ctx, node, path, text));
      out.push(...plainCredentials(node, path, text));
    }
  }
  return out;
}

/** The texts of a step that are sent out and may hold secrets, by config path. */
function secretBearing(node: GraphNode): Array<[path: string, text: string]> {
  if (node.type === 'enrich' && node.config.provider === 'http' && node.config.http) {
    const http = node.config.http;
    return [['config.http.urlTemplate', http.urlTemplate], ...Object.entries(http.headers).map(([k, v]): [string, string] => [`config.http.headers.${k}`, v])];
  }
  if (node.type === 'notify' && (node.config.channel === 'slack' || node.config.channel === 'webhook') && node.config.url) return [['config.url', node.config.url]];
  return [];
}

function checkRefs(ctx: RuleContext, node: GraphNode, path: string, text: string): Problem[] {
  const out: Problem[] = [];
  const where = { nodeId: node.id, path };
  for (const name of secretRefs(text)) {
    if (!SECRET_NAME_PATTERN.test(name)) {
      out.push(problem('invalid_secret_reference', `${stepName(node)} names the secret ${quote(name)}, which is not a valid secret name. Secret names are upper-case letters, digits and underscores, e.g. {{secret.ENRICH_API_KEY}}.`, where));
    } else if (ctx.secretNames && !ctx.secretNames.has(name)) {
      out.push(problem('unknown_secret', `${stepName(node)} uses {{secret.${name}}}, which is not set in this workspace. Add it under Settings, Secrets, or correct the name.`, where));
    }
  }
  return out;
}

function plainCredentials(node: GraphNode, path: string, text: string): Problem[] {
  const warn = (message: string): Problem => ({ ...problem('plain_credential', `${stepName(node)} ${message} Anyone who can read this workflow or its versions can read it: store it under Settings, Secrets and write {{secret.NAME}} instead.`, { nodeId: node.id, path }), severity: 'warning' });
  const header = path.startsWith('config.http.headers.') ? path.slice('config.http.headers.'.length) : null;
  if (header !== null) {
    return isCredentialHeader(header) && text.trim() !== '' && secretRefs(text).length === 0 ? [warn(`sends the header ${quote(header)} with a credential written in plain text.`)] : [];
  }
  const out: Problem[] = [];
  const params = credentialQueryParams(text);
  if (params.length > 0) out.push(warn(`puts a credential in its URL in plain text (${params.map(quote).join(', ')}).`));
  if (isSlackWebhookUrl(text)) out.push(warn('posts to a Slack webhook URL written in plain text; the URL itself lets anyone post to the channel.'));
  if (/^https?:\/\/[^/?#@]*:[^/?#@]*@/i.test(text.trim())) out.push(warn('has a password in its URL in plain text.'));
  return out;
}
