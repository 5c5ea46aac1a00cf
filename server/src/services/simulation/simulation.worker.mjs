// The entry of a simulation thread. The server runs its TypeScript through tsx (`node --import tsx`, or
// vitest in tests), and neither loader reaches into a worker thread: register tsx's ESM hooks here, then
// load the handler.
import { register } from 'tsx/esm/api';

register();
const { default: handle } = await import('./simulation.worker.ts');

export default handle;
