import { isMissing, type Lead } from '../fields/lead';

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

/**
 * Fills `{{field}}` tokens from the lead. A missing field renders as an empty string. `escape` is applied
 * to every inserted value (never to the template itself), so lead data cannot inject markup.
 */
export function renderTemplate(template: string, lead: Lead, escape: (s: string) => string = (s) => s): string {
  return template.replace(TOKEN, (_m, key: string) => {
    const v = lead[key];
    return isMissing(v) ? '' : escape(String(v));
  });
}

/** Escapes text for HTML bodies and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Escapes text for Slack mrkdwn (the three characters Slack requires) and neutralises mentions like <!channel>. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
