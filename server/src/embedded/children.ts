import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** A child process the launcher owns: its output goes to a log file; it is stopped with a signal, then killed. */
export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** True once the process has ended. */
  readonly done: boolean;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
  /** The last lines of its log, for an error message. */
  tail(lines?: number): string;
}

/**
 * Starts `command` in its own process group, so a Ctrl-C in the terminal reaches only the launcher, which
 * then stops the children in order (worker before the database and Temporal it needs).
 */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; onLine?: (line: string) => void },
): Child {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let done = false;
  let partial = '';
  const onData = (d: Buffer) => {
    log.write(d);
    if (!options.onLine) return;
    const text = partial + d.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) options.onLine(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (e) => {
      done = true;
      log.write(`--- failed to start: ${e.message}\n`);
      resolve(`error: ${e.message}`);
    });
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
  }).then((r) => new Promise<number | string>((resolve) => log.end(() => resolve(r))));

  // Never leave a child behind, whatever way the launcher exits.
  const killOnExit = () => {
    if (!done && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  return {
    name,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exited,
    get done() {
      return done;
    },
    async stop(graceMs = 15_000, signal: NodeJS.Signals = 'SIGTERM') {
      if (done || !child.pid) return;
      const pid = child.pid;
      const send = (s: NodeJS.Signals) => {
        try {
          // The whole group: a wrapper's own children go too.
          process.kill(-pid, s);
        } catch {
          // already gone
        }
      };
      send(signal);
      const timer = setTimeout(() => send('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    },
    tail(lines = 20) {
      try {
        return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

/** What the launcher records about its children, so a later start can clean up after a crashed one. */
export interface ChildRecord {
  name: string;
  pid: number;
  /** A string its command line contains, so a reused pid is never mistaken for it. */
  marker: string;
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

/**
 * Kills the children a previous launcher left running (it was killed without a chance to stop them):
 * each recorded pid still alive whose command line still carries its marker. Returns what it stopped.
 */
export function reapLeftovers(records: readonly ChildRecord[]): string[] {
  const reaped: string[] = [];
  for (const r of records) {
    const cmd = commandLine(r.pid);
    if (!cmd || !cmd.includes(r.marker)) continue;
    try {
      process.kill(-r.pid, 'SIGKILL');
    } catch {
      try {
        process.kill(r.pid, 'SIGKILL');
      } catch {
        continue;
      }
    }
    reaped.push(`${r.name} (pid ${r.pid})`);
  }
  return reaped;
}
