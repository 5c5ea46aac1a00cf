/** A signed-in person of the seeded workspace. */
export interface Person {
  email: string;
  password: string;
  name: string;
}

/** What the running stack tells the specs: where it is and who can sign in. */
export interface StackInfo {
  /** The API server, serving the built web app too. */
  baseURL: string;
  workspaceId: string;
  admin: Person;
  viewer: Person;
  /** A rep user, linked to the directory rep `repId`. */
  rep: Person & { repId: string };
  /** One API key per role. */
  keys: Record<'ingest' | 'viewer' | 'editor' | 'publisher' | 'admin', string>;
  temporalAddress: string;
  temporalUiUrl: string;
  /** The stack's database, for the rare spec that must put a run in a state no request can (a failed write). */
  databaseUrl: string;
}

/** The control port the stack process answers `/stack` on; chosen once by the config and inherited. */
export function controlPort(): number {
  const v = Number(process.env.E2E_CONTROL_PORT);
  if (!Number.isInteger(v) || v <= 0) throw new Error('E2E_CONTROL_PORT is not set: run the specs through playwright.config.ts.');
  return v;
}
