import {
  claimedSignal,
  repSignals,
  ROUTE_LEAD_WORKFLOW,
  routeLeadStartOptions,
  workflowIdOf,
  type ClaimSignal,
  type RepAnswer,
  type RepSignal,
  type RouteLeadInput,
  type RouteLeadWorkflow,
} from '@lead-router/shared/workflow-contract';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';

/** What the server needs of Temporal: start a lead's routing, signal it, and know whether Temporal is up. */
export interface RoutingEngine {
  /**
   * Starts the lead's routing workflow; a lead that runs or has run already counts as started (a lead runs
   * once, unless an operator retries its failed run: `retry` starts it again once the last run has ended).
   * Throws when Temporal is unreachable.
   */
  start(input: RouteLeadInput): Promise<void>;
  /** Sends a rep's answer to the lead's workflow; false when the workflow does not exist or has finished. */
  signal(leadId: string, signal: RepSignal, payload: RepAnswer): Promise<boolean>;
  /** Ends the lead's running workflow (an operator re-routes the lead); false when none runs. */
  terminate(leadId: string, reason: string): Promise<boolean>;
  /** Tells the lead's workflow it left its queue for a rep (`claimed`); false when it does not exist or has finished. */
  claim(leadId: string, payload: ClaimSignal): Promise<boolean>;
  /** True when Temporal answers within a short timeout. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The real engine: a Temporal client, connected lazily and reconnected after failures. */
export class TemporalRoutingEngine implements RoutingEngine {
  private client: Promise<Client> | null = null;
  private connection: Connection | null = null;

  constructor(private readonly options: { address: string; namespace: string; taskQueue: string }) {}

  private getClient(): Promise<Client> {
    if (this.client === null) {
      this.client = (async () => {
        const connection = await Connection.connect({ address: this.options.address, connectTimeout: '1500ms' });
        this.connection = connection;
        return new Client({ connection, namespace: this.options.namespace });
      })();
      // A failed connection is forgotten, so the next call tries again (Temporal may be back).
      this.client.catch(() => {
        this.client = null;
      });
    }
    return this.client;
  }

  async start(input: RouteLeadInput): Promise<void> {
    const client = await this.getClient();
    try {
      await client.workflow.start<RouteLeadWorkflow>(ROUTE_LEAD_WORKFLOW, routeLeadStartOptions(input, this.options.taskQueue));
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return;
      throw e;
    }
  }

  async signal(leadId: string, signal: RepSignal, payload: RepAnswer): Promise<boolean> {
    const client = await this.getClient();
    try {
      await client.workflow.getHandle<RouteLeadWorkflow>(workflowIdOf(leadId)).signal(repSignals[signal], payload);
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }

  async terminate(leadId: string, reason: string): Promise<boolean> {
    const client = await this.getClient();
    try {
      await client.workflow.getHandle<RouteLeadWorkflow>(workflowIdOf(leadId)).terminate(reason);
      return true;
    } catch (e) {
      // Not found, or already closed: nothing runs.
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }

  async claim(leadId: string, payload: ClaimSignal): Promise<boolean> {
    const client = await this.getClient();
    try {
      await client.workflow.getHandle<RouteLeadWorkflow>(workflowIdOf(leadId)).signal(claimedSignal, payload);
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }

  async ping(): Promise<boolean> {
    try {
      const client = await Promise.race([this.getClient(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1500))]);
      await client.connection.workflowService.getSystemInfo({});
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.client = null;
    this.connection = null;
    await c?.close().catch(() => {});
  }
}
