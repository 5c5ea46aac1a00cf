import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOW_BUNDLE } from './workflows-path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where built bundles are kept, by content hash (under node_modules: never committed, gone with a clean install). */
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'lead-router', 'workflow-bundles');

/** Every file whose content can change the workflow bundle: the workflow code, the shared library, the lockfile. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(name) && !name.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'shared', 'src'));
  walk(join(ROOT, 'worker', 'src', 'workflows'));
  files.push(join(ROOT, 'worker', 'src', 'activities', 'types.ts'), join(ROOT, 'worker', 'src', 'workflows-path.ts'), join(ROOT, 'package-lock.json'));
  return files;
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    hash.update(file.slice(ROOT.length));
    hash.update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * The workflow bundle, built once per content of its inputs and reused by every later worker start (webpack
 * takes most of a worker's start-up otherwise). Replay safety is unchanged: the bundle is exactly what
 * `Worker.create({ workflowsPath })` would build from the same files.
 */
export async function cachedWorkflowBundle(log: (message: string) => void = () => {}): Promise<WorkflowBundle> {
  const file = join(CACHE_DIR, `routeLead-${inputsHash()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  const started = Date.now();
  const { code } = await buildWorkflowBundle();
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under a temporary name and renamed, so a worker starting at the same moment never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  log(`workflow bundle built in ${Date.now() - started} ms and cached at ${file}`);
  return { code };
}

/**
 * Builds the workflow bundle (uncached). Webpack's own report (assets, modules) is for whoever debugs the
 * bundler, not for a start-up console: only its warnings and errors are shown.
 */
export function buildWorkflowBundle(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ ...WORKFLOW_BUNDLE.bundlerOptions, workflowsPath: WORKFLOW_BUNDLE.workflowsPath, logger: new DefaultLogger('WARN') });
}
