// `npx tsx bench/canvas.ts`: the builder canvas in Chromium with generated graphs of 100, 500 and 1,000
// nodes. Prints the time to first render (every node drawn) and the frame rate while panning with the
// mouse, and writes them to bench/RESULTS.md under "## Canvas" (the other sections are kept).
// A benchmark, not a test: it asserts nothing, it reports against the targets (500 nodes < 1 s, >= 50 fps).
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const OUT = join(ROOT, 'bench', 'out', 'canvas');
const PAGE = 'src/editor/bench/index.html';
const SIZES = (process.env.BENCH_SIZES ?? '100,500,1000').split(',').map(Number);
/** Loads per size; the median is reported (the first load of a size also warms the browser's caches). */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAN_MS = 2000;

/** What the bench page sets on its window when the graph is drawn (see web/src/editor/bench/bench-main.tsx). */
interface BenchResult {
  nodes: number;
  renderedNodes: number;
  sinceNavigationMs: number;
  sinceRenderCallMs: number;
}
// These functions run in the page; this file is type-checked without the DOM library.
type PageGlobals = { benchResult?: BenchResult; frames_: number; counting: boolean; benchFit: () => void; benchFitResult?: { renderedNodes: number; ms: number } };

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** A production build of the bench page only: what users get, minified, no dev-server transforms. */
async function buildPage(): Promise<void> {
  await build({
    root: WEB,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: OUT, emptyOutDir: true, rollupOptions: { input: join(WEB, PAGE) } },
  });
}

function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(OUT, path);
    if (!file.startsWith(OUT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/${PAGE}` });
    }),
  );
}

/** Drags the pane for PAN_MS while counting animation frames in the page. */
async function panFps(page: Page): Promise<number> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no pane');
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.frames_ = 0;
    window.counting = true;
    const tick = () => { if (!window.counting) return; window.frames_++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < PAN_MS) {
    // A slow circle, as a person drags the canvas around.
    const a = (i++ / 30) * Math.PI;
    await page.mouse.move(cx + Math.cos(a) * 200, cy + Math.sin(a) * 150);
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
  const elapsed = Date.now() - start;
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.counting = false;
    return w.frames_;
  });
  return (frames / elapsed) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const loadBefore = loadavg()[0] ?? 0;
  await buildPage();
  const { server, url } = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const rows: string[] = [];
  try {
    for (const n of SIZES) {
      const loads: number[] = [];
      const renders: number[] = [];
      const fps: number[] = [];
      const fits: number[] = [];
      const fitFps: number[] = [];
      let rendered = 0;
      for (let r = 0; r < RUNS; r++) {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        await page.goto(`${url}?n=${n}`);
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).benchResult !== undefined, undefined, { timeout: 60_000 });
        const result = await page.evaluate(() => (globalThis as unknown as PageGlobals).benchResult as BenchResult);
        loads.push(result.sinceNavigationMs);
        renders.push(result.sinceRenderCallMs);
        rendered = result.renderedNodes;
        fps.push(await panFps(page));
        // Then zoom to fit: every node drawn at once, the worst case.
        await page.evaluate(() => (globalThis as unknown as PageGlobals).benchFit());
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).benchFitResult !== undefined, undefined, { timeout: 120_000 });
        fits.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).benchFitResult?.ms ?? NaN));
        fitFps.push(await panFps(page));
        await page.close();
      }
      const load = median(loads);
      const f = median(fps);
      const met = n === 500 ? (load < 1000 && f >= 50 ? 'yes' : '**no**') : 'n/a';
      const line = `| ${n} | ${rendered} | ${load.toFixed(0)} ms (render ${median(renders).toFixed(0)} ms) | ${f.toFixed(0)} fps (min ${Math.min(...fps).toFixed(0)}) | ${median(fits).toFixed(0)} ms | ${median(fitFps).toFixed(0)} fps (min ${Math.min(...fitFps).toFixed(0)}) | ${met} |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    await browser.close();
    server.close();
  }
  // The machine is shared: the load average says how much of it the browser actually had.
  const load = `1-minute load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after, on ${cpus().length} cores`;
  console.log(load);
  if (process.env.BENCH_NO_WRITE !== '1') writeSection(rows, load);
}

/** Replaces the "## Canvas" section of RESULTS.md (or adds it at the end), leaving every other section as is. */
function writeSection(rows: string[], load: string) {
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const c = cpus();
  const section = [
    '## Canvas',
    '',
    `Measured by bench/canvas.ts on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; ${c.length} cores (${c[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Debian Chromium headless, --disable-gpu (software rendering).`,
    '',
    '| nodes | drawn on opening | first render (from navigation; from the render call) | panning | zoom to fit: all drawn | panning at fit | target met (500 nodes: < 1 s, >= 50 fps on opening) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `- Median of ${RUNS} loads per size of a production build of web/src/editor/bench (the builder's own store, conversions and node views; generateGraph from shared/fixtures), viewport 1600x1000. Graphs over 150 nodes open at a readable zoom on the trigger and draw only what is on screen; the last columns press "zoom to fit", which draws every node.`,
    `- Machine load during the run: ${load}. Other people's test runs share these cores, so figures vary from run to run.`,
    `- First render ends when every node React Flow rendered has been measured and painted. Panning: a mouse drag of the pane for ${PAN_MS / 1000} s, frames counted with requestAnimationFrame.`,
    '',
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const start = text.search(/^## Canvas$/m);
  // The section ends where the next one starts (the other benchmarks append `### ` sections).
  let next = start < 0 ? -1 : text.slice(start + 1).search(/^##+ /m);
  if (next >= 0) next += start + 1;
  const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next >= 0 ? `\n${text.slice(next)}` : ''}`;
  writeFileSync(file, updated);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
