import { fileURLToPath } from 'node:url';

/** The workflows bundle's entry, for Worker.create and replay tests. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
