import type { Database } from '@lead-router/db/client';
import { OutboxDispatcher } from '@lead-router/db/outbox-dispatcher';
import { ROUTE_LEAD_WORKFLOW, routeLeadStartOptions, type RouteLeadInput, type RouteLeadWorkflow } from '@lead-router/shared/workflow-contract';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';

/** The channel migration 0021's trigger notifies on every insert into the outbox. */
export const OUTBOX_CHANNEL = 'lead_router_outbox';

/** What a worker's outbox dispatch needs. */
export interface WorkerDispatchDeps {
  database: Database;
  /** The worker's own connection: a start made over it can be handed to this worker eagerly. */
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  log: { warn(msg: string, fields?: Record<string, unknown>): void };
  now?: () => Date;
  /** How often to drain with no notification (default 1000 ms): the net under a lost NOTIFY. */
  pollMs?: number;
  /** How long to wait before trying to LISTEN again after it failed (default 5000 ms). */
  listenRetryMs?: number;
}

/** A running dispatch; `stop` waits for the drain in flight. */
export interface WorkerDispatch {
  dispatcher: OutboxDispatcher;
  /** Workflows started from here, and how many of them Temporal handed to this worker in the start's answer. */
  readonly starts: { started: number; eagerly: number };
  stop(): Promise<void>;
}

/**
 * Starts the leads of the outbox from a worker (OUTBOX_DISPATCH=worker, the default). Each start asks Temporal
 * for eager execution: the server answers the start with the workflow's first task, which this worker runs at
 * once, instead of queueing it on the task queue for a poll to fetch (Temporal's own cost a lead: one
 * matching dispatch and one history write fewer). Several workers may dispatch together: a row is claimed by
 * one (`FOR UPDATE SKIP LOCKED`, OutboxDispatcher), and starts are idempotent per lead.
 */
export async function startWorkerDispatch(deps: WorkerDispatchDeps): Promise<WorkerDispatch> {
  const client = new Client({ connection: deps.connection, namespace: deps.namespace });
  const starts = { started: 0, eagerly: 0 };
  const starter = {
    async start(input: RouteLeadInput): Promise<void> {
      try {
        // Temporal starts it the usual way (onto the task queue) when this worker has no free workflow task
        // slot or the server does not allow eager starts (system.enableEagerWorkflowStart).
        const handle = await client.workflow.start<RouteLeadWorkflow>(ROUTE_LEAD_WORKFLOW, { ...routeLeadStartOptions(input, deps.taskQueue), requestEagerStart: true });
        starts.started++;
        if (handle.eagerlyStarted) starts.eagerly++;
      } catch (e) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) return;
        throw e;
      }
    },
  };
  const dispatcher = new OutboxDispatcher({ db: deps.database.db, engine: starter, log: deps.log, now: deps.now ?? (() => new Date()) }, { pollMs: deps.pollMs ?? 1000 });
  dispatcher.start();
  // A drain on each notification, and one each time the LISTEN is (re)established: rows written while it was
  // down were not announced. postgres.js re-LISTENs after a lost connection by itself; a LISTEN that cannot be
  // set up at all (the database is down as the worker starts) is tried again, the poll covering meanwhile.
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let listener: { unlisten(): Promise<void> } | null = null;
  const listen = async (): Promise<void> => {
    if (!deps.database.listen || stopped) return;
    try {
      const l = await deps.database.listen(OUTBOX_CHANNEL, () => dispatcher.kick(), () => dispatcher.kick());
      if (stopped) await l.unlisten().catch(() => {});
      else listener = l;
    } catch (e) {
      deps.log.warn('outbox: cannot LISTEN for new leads; polling meanwhile', { err: e instanceof Error ? e.message : String(e) });
      if (!stopped) retry = setTimeout(() => void listen(), deps.listenRetryMs ?? 5000);
    }
  };
  await listen();
  return {
    dispatcher,
    starts,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await listener?.unlisten().catch(() => {});
      await dispatcher.stop();
    },
  };
}
