import { parseArgs } from 'node:util';
import { simulateCommand } from './commands/simulate';
import { validateCommand } from './commands/validate';
import { InputError, parseInstant } from './io';

const HELP = `lead-router: design, check and run lead routing graphs

Usage:
  lead-router validate --graph g.json [--directory d.json] [--json]
      Compile a graph. Exit 0 when valid; 1 with every problem when not; 2 for unreadable input.
  lead-router simulate --graph g.json --directory d.json --leads leads.(csv|json|jsonl) [--json]
                       [--at 2026-11-23T15:00:00Z] [--wait accepted|timed_out|rejected[:minutes]]
      Run leads through the graph on simulated effects: nothing is sent or written.
      --at   the virtual instant the leads arrive (working hours and out-of-office depend on it); default now
      --wait how SLA waits resolve; default: accepted at once

  lead-router create-admin --email E --password P [--name N] [--workspace W]
      Create an admin user, in workspace W (default "Default workspace"; created if no workspace has that
      name). Prints the workspace id and user id. Exit 1 when the email is taken.
  lead-router create-key --workspace <id or name> --name N [--role ingest|viewer|editor|publisher|admin]
      Create an API key (default role: ingest) and print it once.
      Both need DATABASE_URL (postgres://...) and apply pending migrations first.

  lead-router demo [--leads 50] [--interval 500] [--url U] [--key K] [--workflow ID] [--seed N] [--wait 10]
      Post a stream of sample leads to a running server (one every --interval ms) to watch them routed
      live, then print where they went (waiting up to --wait seconds). --url, --key and --workflow default
      to LEAD_ROUTER_URL, LEAD_ROUTER_KEY, LEAD_ROUTER_WORKFLOW, else to what \`npm start\` wrote on its
      first start (.data/demo.json), else http://127.0.0.1:3000.

File formats: docs/formats.md. A worked example ships in shared/fixtures/.
`;

/** The commands that talk to the database, and so answer asynchronously. */
type DatabaseCommand = 'create-admin' | 'create-key' | 'demo';

/** Runs the CLI with these arguments; returns the exit code (a promise of it once a database command runs). */
export function main(argv: [DatabaseCommand, ...string[]], out?: (s: string) => void, err?: (s: string) => void): number | Promise<number>;
export function main(argv: string[], out?: (s: string) => void, err?: (s: string) => void): number;
export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number | Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(HELP);
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'validate': {
        const { values } = parseArgs({ args: rest, options: { graph: { type: 'string' }, directory: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
        if (!values.graph) throw new InputError('validate needs --graph <file>');
        return validateCommand({ graph: values.graph, ...(values.directory ? { directory: values.directory } : {}), json: values.json ?? false }, out);
      }
      case 'simulate': {
        const { values } = parseArgs({
          args: rest,
          options: {
            graph: { type: 'string' },
            directory: { type: 'string' },
            leads: { type: 'string' },
            json: { type: 'boolean', default: false },
            at: { type: 'string' },
            wait: { type: 'string' },
          },
          strict: true,
        });
        for (const k of ['graph', 'directory', 'leads'] as const) if (!values[k]) throw new InputError(`simulate needs --${k} <file>`);
        return simulateCommand(
          {
            graph: values.graph as string,
            directory: values.directory as string,
            leads: values.leads as string,
            json: values.json ?? false,
            at: values.at ? parseInstant(values.at, '--at') : Date.now(),
            ...(values.wait ? { wait: values.wait } : {}),
          },
          out,
          err,
        );
      }
      case 'create-admin': {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string' } }, strict: true });
        for (const k of ['email', 'password'] as const) if (!values[k]) throw new InputError(`create-admin needs --${k} <${k}>`);
        const args = { email: values.email as string, password: values.password as string, ...(values.name ? { name: values.name } : {}), ...(values.workspace ? { workspace: values.workspace } : {}) };
        // Loaded on demand: validate and simulate stay free of the database driver and server code.
        return import('./commands/create-admin').then((m) => m.createAdminCommand(args, out, err));
      }
      case 'create-key': {
        const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } }, strict: true });
        for (const k of ['workspace', 'name'] as const) if (!values[k]) throw new InputError(`create-key needs --${k} <${k}>`);
        const args = { workspace: values.workspace as string, name: values.name as string, ...(values.role ? { role: values.role } : {}) };
        return import('./commands/create-key').then((m) => m.createKeyCommand(args, out, err));
      }
      case 'demo': {
        const { values } = parseArgs({
          args: rest,
          options: {
            leads: { type: 'string' },
            interval: { type: 'string' },
            url: { type: 'string' },
            key: { type: 'string' },
            workflow: { type: 'string' },
            seed: { type: 'string' },
            wait: { type: 'string' },
          },
          strict: true,
        });
        const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string>;
        return import('./commands/demo').then((m) => m.demoCommand(args, out, err)).catch((e: unknown) => {
          if (e instanceof InputError) {
            err(`lead-router: ${e.message}`);
            return 2;
          }
          throw e;
        });
      }
      default:
        err(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof InputError) {
      err(`lead-router: ${e.message}`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`lead-router: ${e.message}\n\n${HELP}`);
      return 2;
    }
    throw e;
  }
}

// Run when executed as the command, not when imported by tests.
if (process.argv[1] && /lead-router(\.js|\.ts)?$/.test(process.argv[1])) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
