// zod 4 attaches methods to each schema when it is built, so shared's schemas have `.openapi()` only if
// @hono/zod-openapi extended zod before @lead-router/shared was evaluated. Loading it first in every test
// file (vitest setupFiles) makes that order hold whatever a test imports first; main.ts does the same.
import '@hono/zod-openapi';
