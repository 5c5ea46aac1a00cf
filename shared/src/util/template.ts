import { isMissing, leadField, type Lead } from '../fields/lead';

const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The field keys a template names with `{{field}}` tokens, in order of first use. */
export function templateFields(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(TOKEN)) {
    const key = m[1] as string;
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/** A template cut into literal text and field tokens, alternating: [text, field, text, field, ..., text]. */
const parsedTemplates = new Map<string, string[]>();

function parseTemplate(template: string): string[] {
  let parts = parsedTemplates.get(template);
  if (parts === undefined) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(TOKEN)) {
      parts.push(template.slice(last, m.index), m[1] as string);
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push(template.slice(last));
    // Bounded: templates come from graphs, and a server holds many workspaces' graphs.
    if (parsedTemplates.size >= 1000) parsedTemplates.clear();
    parsedTemplates.set(template, parts);
  }
  return parts;
}

/**
 * Fills `{{field}}` tokens from the lead's own fields. A missing field renders as an empty string (so does
 * `{{constructor}}`: nothing of Object.prototype is ever read). `escape` is applied
 * to every inserted value (never to the template itself), so lead data cannot inject markup.
 */
export function renderTemplate(template: string, lead: Lead, escape?: (s: string) => string): string {
  const parts = parseTemplate(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const v = leadField(lead, parts[i] as string);
    if (!isMissing(v)) out += escape ? escape(String(v)) : String(v);
    out += parts[i + 1] as string;
  }
  return out;
}

/** Escapes text for HTML bodies and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Escapes text for Slack mrkdwn (the three characters Slack requires) and neutralises mentions like <!channel>. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
