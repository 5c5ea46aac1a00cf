import { startBenchStack } from '../bench/ingest';
const stack = await startBenchStack({ temporal: false });
const body = (bytes: number) => { const chunk = new Uint8Array(64 * 1024).fill(0x61); let sent = 0; return new ReadableStream({ pull(c) { if (sent >= bytes) { c.close(); return; } c.enqueue(chunk); sent += chunk.length; } }); };
const polls: number[] = []; let on = true;
const poller = (async () => { while (on) { const t = performance.now(); await fetch(`${stack.base}/healthz`).then((r) => r.arrayBuffer()).catch(() => 0); polls.push(performance.now() - t); await new Promise((r) => setTimeout(r, 100)); } })();
const mode = process.argv[2] ?? 'bodies';
const t0 = performance.now();
if (mode === 'bodies') {
  const r = await Promise.all(Array.from({ length: 10 }, () => fetch(`${stack.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(300 * 2 ** 20), duplex: 'half' } as RequestInit).then((x) => x.status).catch((e) => 'closed:' + (e.cause?.code ?? e.message))));
  console.log(r);
} else {
  const r = await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${stack.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x@y.com', password: 'guess ' + i }) }).then((x) => x.status)));
  console.log(r.join(','));
}
console.log('took', (performance.now() - t0).toFixed(0), 'ms');
await new Promise((r) => setTimeout(r, 500));
on = false; await poller;
polls.sort((a, b) => a - b);
console.log('polls', polls.length, 'max', polls.at(-1)?.toFixed(0), 'p50', polls[Math.floor(polls.length / 2)]?.toFixed(0));
await stack.stop();
