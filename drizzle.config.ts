import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new forward-only migration into migrations/ from the schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/src/schema.ts', './db/src/analytics-schema.ts', './db/src/history-schema.ts', './db/src/crm-schema.ts', './db/src/backfill-schema.ts', './db/src/secrets-schema.ts'],
  out: './migrations',
});
