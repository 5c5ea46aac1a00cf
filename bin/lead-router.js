#!/usr/bin/env node
// The `lead-router` command. The CLI is TypeScript run through tsx, like the server and worker.
import { register } from 'tsx/esm/api';

register();
await import('../cli/lead-router.ts');
