import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleLeads } from '@lead-router/shared/fixtures';
import { InputError } from '../io';

export interface DemoArgs {
  leads?: string;
  url?: string;
  key?: string;
  workflow?: string;
  interval?: string;
  seed?: string;
  wait?: string;
}

/** What the embedded launcher writes on its first start (DATA_DIR/demo.json). */
interface DemoFile {
  url?: string;
  workflowId?: string;
  apiKey?: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function readDemoFile(env: Record<string, string | undefined>): { file: string; data: DemoFile | null } {
  const file = join(resolve(env.DATA_DIR ?? join(ROOT, '.data')), 'demo.json');
  if (!existsSync(file)) return { file, data: null };
  try {
    return { file, data: JSON.parse(readFileSync(file, 'utf8')) as DemoFile };
  } catch {
    return { file, data: null };
  }
}

function intOption(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name} must be a whole number from ${min} to ${max}; got "${value}"`);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `lead-router demo`: posts a stream of sample leads to a running server's ingestion endpoint, one every
 * `--interval` ms, then waits up to `--wait` seconds and prints where they went. The server, key and
 * workflow come from the flags, else LEAD_ROUTER_URL / LEAD_ROUTER_KEY / LEAD_ROUTER_WORKFLOW, else what
 * the embedded launcher wrote on its first start (DATA_DIR/demo.json), else http://127.0.0.1:3000.
 * Exit 0 when every lead was accepted; 1 when the server refused or could not be reached; 2 for bad input.
 */
export async function demoCommand(args: DemoArgs, out: (s: string) => void, err: (s: string) => void, env: Record<string, string | undefined> = process.env): Promise<number> {
  const count = intOption(args.leads, 50, 'leads', 1, 10_000);
  const interval = intOption(args.interval, 500, 'interval', 0, 60_000);
  const wait = intOption(args.wait, 10, 'wait', 0, 600);
  const seed = intOption(args.seed, randomBytes(4).readUInt32BE(0) % 1_000_000, 'seed', 0, 2 ** 31 - 1);
  const demo = readDemoFile(env);
  const base = (args.url ?? env.LEAD_ROUTER_URL ?? demo.data?.url ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(base)) throw new InputError(`--url must be an http(s) URL such as http://127.0.0.1:3000; got "${base}"`);
  const key = args.key ?? env.LEAD_ROUTER_KEY ?? demo.data?.apiKey;
  const workflow = args.workflow ?? env.LEAD_ROUTER_WORKFLOW ?? demo.data?.workflowId;
  if (!key) throw new InputError(`no API key: pass --key or set LEAD_ROUTER_KEY (the embedded launcher's first start writes one to ${demo.file})`);
  if (!workflow) throw new InputError(`no workflow: pass --workflow <id> or set LEAD_ROUTER_WORKFLOW (the embedded launcher's first start writes one to ${demo.file})`);

  const run = randomBytes(4).toString('hex');
  const leads = generateSampleLeads(count, seed);
  out(`Posting ${count} demo leads to ${base} (workflow ${workflow}), one every ${interval} ms. Watch them at ${base}/leads`);
  const ids: string[] = [];
  for (const [i, sample] of leads.entries()) {
    // Fresh people each run: the same sample with another run's id would be answered as a replay.
    const { id: _id, ...lead } = sample;
    const email = typeof lead.email === 'string' && lead.email ? lead.email.replace('@', `+${run}${i}@`) : lead.email;
    let res: Response;
    try {
      res = await fetch(`${base}/api/workflows/${encodeURIComponent(workflow)}/leads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `demo-${run}-${i + 1}` },
        body: JSON.stringify({ ...lead, email }),
      });
    } catch (e) {
      err(`lead-router: cannot reach ${base} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}); is the server running (npm start)?`);
      return 1;
    }
    const text = await res.text();
    if (res.status !== 202) {
      let message = text;
      try {
        const body = JSON.parse(text) as { error?: { message?: string } };
        message = body.error?.message ?? text;
      } catch {
        // not JSON: keep the text
      }
      err(`lead-router: lead ${i + 1} was refused (HTTP ${res.status}): ${message}`);
      return 1;
    }
    const { leadId } = JSON.parse(text) as { leadId: string };
    ids.push(leadId);
    out(`  ${String(i + 1).padStart(String(count).length)}/${count}  ${String(email ?? '(no email)').padEnd(40)} ${String(lead.company ?? '').padEnd(22)} -> ${leadId}`);
    if (interval > 0 && i < leads.length - 1) await sleep(interval);
  }
  out(`Posted ${ids.length} leads.`);
  if (wait === 0) return 0;

  // Where did they go? Poll until each is assigned or finished, for up to --wait seconds.
  const deadline = Date.now() + wait * 1000;
  const where = new Map<string, string>();
  while (where.size < ids.length && Date.now() < deadline) {
    for (const id of ids) {
      if (where.has(id)) continue;
      const res = await fetch(`${base}/api/leads/${id}`, { headers: { authorization: `Bearer ${key}` } }).catch(() => null);
      if (!res?.ok) continue;
      const lead = (await res.json()) as { status: string; assignee: { type: string; id: string; name: string | null } | null; outcome: string | null };
      if (lead.assignee) where.set(id, `${lead.assignee.type} ${lead.assignee.name ?? lead.assignee.id}`);
      else if (lead.status === 'completed' || lead.status === 'failed') where.set(id, lead.outcome ?? lead.status);
    }
    if (where.size < ids.length) await sleep(250);
  }
  const tally = new Map<string, number>();
  for (const v of where.values()) tally.set(v, (tally.get(v) ?? 0) + 1);
  out(`Routed ${where.size} of ${ids.length} within ${wait} s:`);
  for (const [k, n] of [...tally.entries()].sort((a, b) => b[1] - a[1])) out(`  ${String(n).padStart(4)}  ${k}`);
  if (where.size < ids.length) out(`  ${String(ids.length - where.size).padStart(4)}  still routing (is a worker running?)`);
  return 0;
}
