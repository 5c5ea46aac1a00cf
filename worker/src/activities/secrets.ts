import type { Db } from '@lead-router/db/client';
import { SecretBoxError, type SecretBox } from '@lead-router/db/secret-box';
import { secretContext, workspaceSecrets } from '@lead-router/db/secrets-schema';
import { fillSecrets, isSecretRefOnly, redactSecrets, secretRefs } from '@lead-router/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { ActivityContext } from './context';
import { postJson, type Delivery } from './deliver';
import { originOf } from './target-guard';

// Workspace secrets at the moment of an outbound call (shared/src/secrets.ts): the step's `{{secret.NAME}}`
// references are read and opened here, for this call only, never cached and never logged. What the trace may
// say of the call (an error that echoes the URL, a header the client refused) goes through `redact` first.

/** The opened values of a call's secrets, or why they cannot be had (a configuration problem: no retry helps). */
export type OpenedSecrets = { ok: true; values: ReadonlyMap<string, string> } | { ok: false; detail: string };

/** Opens the named secrets of a workspace. */
export type SecretReader = (workspaceId: string, names: readonly string[]) => Promise<OpenedSecrets>;

const NONE: OpenedSecrets = { ok: true, values: new Map() };

export function createSecretReader(db: Db, box: SecretBox | null): SecretReader {
  return async (workspaceId, names) => {
    if (names.length === 0) return NONE;
    if (!box) return { ok: false, detail: `SECRET_KEY is not set on the worker, so {{secret.${names[0]}}} cannot be read` };
    const rows = await db
      .select({ name: workspaceSecrets.name, valueEnc: workspaceSecrets.valueEnc })
      .from(workspaceSecrets)
      .where(and(eq(workspaceSecrets.workspaceId, workspaceId), inArray(workspaceSecrets.name, [...names])));
    const values = new Map<string, string>();
    for (const name of names) {
      const row = rows.find((r) => r.name === name);
      if (!row) return { ok: false, detail: `The secret ${name} is not set in this workspace (Settings, Secrets)` };
      try {
        values.set(name, box.open(row.valueEnc, secretContext(workspaceId, name)));
      } catch (e) {
        return { ok: false, detail: `The secret ${name} cannot be read: ${e instanceof SecretBoxError ? e.message : 'it does not decrypt'}` };
      }
    }
    return { ok: true, values };
  };
}

/** The secret names of the texts of one call, each once. */
export function callSecretNames(...texts: string[]): string[] {
  return [...new Set(texts.flatMap(secretRefs))];
}

/** The texts of one call with its secrets filled in, and a redactor for what may be recorded of it. */
export interface FilledCall {
  fill(text: string, escape?: (s: string) => string): string;
  redact(text: string): string;
}

export function filledCall(values: ReadonlyMap<string, string>): FilledCall {
  return {
    fill: (text, escape) => fillSecrets(text, (name) => (escape ? escape(values.get(name) ?? '') : (values.get(name) ?? ''))),
    redact: (text) => (values.size === 0 ? text : redactSecrets(text, values)),
  };
}

/**
 * A Slack or webhook URL (or the secret that holds it) opened for this call only, and how to post to it: what
 * is recorded of the answer, and the recipient's label, never hold a secret.
 */
export async function openTarget(
  ctx: Pick<ActivityContext, 'secrets' | 'targets'>,
  workspaceId: string,
  rawUrl: string,
): Promise<{ ok: false; detail: string } | { ok: true; recipient: { label: string; repId: null }; send(payload: unknown, what: string): () => Promise<Delivery> }> {
  const opened = await ctx.secrets(workspaceId, callSecretNames(rawUrl));
  if (!opened.ok) return opened;
  const call = filledCall(opened.values);
  const url = isSecretRefOnly(rawUrl) ? call.fill(rawUrl) : call.fill(rawUrl, encodeURIComponent);
  return {
    ok: true,
    recipient: { label: call.redact(originOf(url)), repId: null },
    send: (payload, what) => async () => {
      const d = await postJson(ctx.targets, url, payload, { what });
      return { ...d, detail: call.redact(d.detail) };
    },
  };
}
