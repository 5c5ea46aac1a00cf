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

File formats: docs/formats.md. A worked example ships in shared/fixtures/.
`;

/** Runs the CLI with these arguments; returns the exit code. */
export function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
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
  process.exitCode = main(process.argv.slice(2));
}
