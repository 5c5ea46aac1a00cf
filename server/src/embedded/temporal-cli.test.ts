import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli, findTemporalCli } from './temporal-cli';
import { webBuildReason } from './web-build';

const root = mkdtempSync(join(tmpdir(), 'launcher-tools-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\necho temporal\n');
  chmodSync(path, 0o755);
  return path;
}

describe('finding the temporal CLI', () => {
  const pathDir = join(root, 'bin');
  const onPath = executable(join(pathDir, 'temporal'));
  const local = executable(join(root, '.tools', 'pip', 'bin', 'temporal'));

  it('takes TEMPORAL_CLI_PATH, then PATH, then .tools/pip/bin', () => {
    expect(findTemporalCli(root, { TEMPORAL_CLI_PATH: local, PATH: pathDir })).toBe(local);
    expect(findTemporalCli(root, { PATH: `/nonexistent:${pathDir}` })).toBe(onPath);
    expect(findTemporalCli(root, { PATH: '/nonexistent' })).toBe(local);
    expect(findTemporalCli(join(root, 'elsewhere'), { PATH: '/nonexistent' })).toBeNull();
  });

  it('refuses a TEMPORAL_CLI_PATH that is not an executable, naming the variable', async () => {
    const plain = join(root, 'not-executable');
    writeFileSync(plain, 'x');
    await expect(ensureTemporalCli(root, () => {}, { TEMPORAL_CLI_PATH: plain, PATH: pathDir })).rejects.toThrow(`TEMPORAL_CLI_PATH: ${plain} is not an executable file.`);
    await expect(ensureTemporalCli(root, () => {}, { PATH: pathDir })).resolves.toBe(onPath);
  });
});

describe('the web build check', () => {
  const web = join(root, 'app');
  it('asks for a build when web/dist is missing or older than a source, and not otherwise', () => {
    mkdirSync(join(web, 'web', 'src'), { recursive: true });
    writeFileSync(join(web, 'web', 'src', 'main.tsx'), 'x');
    expect(webBuildReason(web)).toBe('web/dist is missing');
    mkdirSync(join(web, 'web', 'dist'), { recursive: true });
    writeFileSync(join(web, 'web', 'dist', 'index.html'), '<div id="root"></div>');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(web, 'web', 'src', 'main.tsx'), old, old);
    utimesSync(join(web, 'web', 'src'), old, old);
    utimesSync(join(web, 'web'), old, old);
    expect(webBuildReason(web)).toBeNull();
    writeFileSync(join(web, 'web', 'src', 'main.tsx'), 'changed');
    expect(webBuildReason(web)).toBe('the web sources changed since the last build');
  });
});
