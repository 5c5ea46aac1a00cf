import type { Env } from '../env';
import type { Db } from '@lead-router/db/client';
import type { Principal } from '../auth/principal';
import type { RoutingEngine } from '../services/routing-engine';
import type { SimulationRunner } from '../services/simulation/pool';
import type { DomainError } from '../errors/domain-error';

/** What every request handler can reach. */
export interface AppDeps {
  db: Db;
  config: Env;
  engine: RoutingEngine;
  /** The wall clock; tests may fix it. */
  now: () => Date;
  log: Logger;
  /** The pool of simulation threads test runs compute in (simulate, backtest, golden leads). */
  simulations: SimulationRunner;
}

/** Structured logs: one JSON line per event. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Hono's environment for this app. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal | null;
    /** Why the body could not be read, when a route's validator only knows that it could not (json-body.ts). */
    bodyError?: DomainError;
  };
}
