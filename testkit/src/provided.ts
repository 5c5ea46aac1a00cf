import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's migrated database (see vitest-database.ts). */
    databaseUrl: string;
  }
}

/** The URL of the test run's migrated database, made by the vitest-database global setup. */
export function providedDatabaseUrl(): string {
  return inject('databaseUrl');
}
