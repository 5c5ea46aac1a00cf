import { readFileSync } from 'node:fs';
import { startBenchStack } from '../bench/ingest';
const stack = await startBenchStack({ temporal: false });
const cpu = () => { const f = readFileSync(`/proc/${stack.server.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const run = async (n: number, label: string, body: (i: number) => unknown) => {
  const c0 = cpu(); const t0 = performance.now();
  const r = await Promise.all(Array.from({ length: n }, (_, i) => fetch(`${stack.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(i)) }).then((x) => x.status)));
  console.log(label, 'wall', (performance.now() - t0).toFixed(0), 'ms; server cpu', cpu() - c0, 'ms;', [...new Set(r)].join(','));
};
await run(100, 'warm-up', (i) => ({ email: `w${i}@y.com`, password: 'x' }));
await new Promise((r) => setTimeout(r, 1000));
await run(100, '100 wrong, one account', (i) => ({ email: 'x@y.com', password: 'guess ' + i }));
await new Promise((r) => setTimeout(r, 1000));
await run(100, '100 wrong, one account again', (i) => ({ email: 'x@y.com', password: 'guess ' + i }));
await stack.stop();
