import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkerEnvSchema } from '../worker/src/env';
import { EnvSchema } from '../server/src/env';
import { REPO_ROOT } from '../server/src/embedded/config';

// docker-compose.yml cannot be run here (no container engine); `docker-compose config -q` validates its
// syntax offline. These checks keep it honest against the code: the variables it sets are the ones the
// server and worker read, and every image is pinned.
const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');

/** The keys of a top-level block (`x-app-env:`) or a service's `environment:` block. */
function block(header: RegExp): string[] {
  const lines = compose.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  expect(start, `no ${header} in docker-compose.yml`).toBeGreaterThanOrEqual(0);
  const indent = /^\s*/.exec(lines[start + 1]!)![0].length;
  const keys: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) continue;
    if (/^\s*/.exec(line)![0].length < indent) break;
    const m = /^\s*([A-Z][A-Z0-9_]*):/.exec(line);
    if (m && /^\s*/.exec(line)![0].length === indent) keys.push(m[1]!);
  }
  return keys;
}

describe('docker-compose.yml', () => {
  it('sets only variables the server or the worker reads, and both get the database and Temporal', () => {
    const known = new Set([...Object.keys(EnvSchema.shape), ...Object.keys(WorkerEnvSchema.shape)]);
    const app = block(/^x-app-env:/);
    expect(app).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'SMTP_HOST']));
    for (const key of app) expect(known.has(key), `${key} is read by neither env.ts`).toBe(true);
    const serverEnv = compose.slice(compose.indexOf('\n  server:')).split('environment:')[1]!.split('\n    ports:')[0]!;
    for (const m of serverEnv.matchAll(/^ {6}([A-Z][A-Z0-9_]*):/gm)) expect(known.has(m[1]!), `${m[1]} is not in server/src/env.ts`).toBe(true);
  });

  it('pins every image and gives every service a health check', () => {
    const images = [...compose.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const image of images) expect(image, image).toMatch(/^[a-z0-9./-]+:\d+(\.\d+)+[a-z0-9.-]*$/);
    const services = compose.slice(compose.indexOf('\nservices:'), compose.indexOf('\nvolumes:'));
    const names = [...services.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]!);
    expect(names).toEqual(['postgres', 'temporal', 'temporal-ui', 'server', 'worker-1', 'worker-2']);
    for (const name of names.filter((n) => !n.startsWith('worker'))) {
      const body = services.split(`\n  ${name}:\n`)[1]!.split(/\n {2}[a-z0-9-]+:\n/)[0]!;
      expect(body, name).toContain('healthcheck:');
    }
    // The workers share one definition, with its own health check.
    expect(compose.split('x-worker: &worker')[1]!.split('\nservices:')[0]).toContain('healthcheck:');
    expect(compose).toMatch(/worker-1:\n {4}<<: \*worker/);
    expect(compose).not.toMatch(/^name:/m); // docker-compose v1 rejects a top-level name
  });
});
