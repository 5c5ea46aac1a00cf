import { z } from 'zod';

/** A named outcome of a node: one output handle on the canvas, one edge in the graph. */
export interface OutcomeSpec {
  id: string;
  label: string;
  /** An optional outcome that is left unconnected follows this other outcome instead. */
  fallback?: string;
}

/** Everything the product knows about one node type: its schema, label, help and outcomes. */
export interface NodeKind<T extends string, C> {
  type: T;
  /** Human label shown on the palette and the node. */
  label: string;
  /** One line of help for the palette. */
  help: string;
  configSchema: z.ZodType<C>;
  /** The config a freshly dropped node starts with. */
  defaultConfig: () => C;
  /** The outcomes (output handles) a node with this config has, in display order. */
  outcomes: (config: C) => OutcomeSpec[];
}

/** Declares a node kind, keeping its config type tied to its schema. */
export function defineNodeKind<T extends string, C>(kind: NodeKind<T, C>): NodeKind<T, C> {
  return kind;
}

/** Units a duration can be given in. */
export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** A span of time: `{ amount: 15, unit: 'minutes' }`. */
export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** A duration such as an SLA. At most 90 days. */
export const DurationSchema: z.ZodType<Duration> = z
  .object({ amount: z.number().positive().max(1e7), unit: z.enum(DURATION_UNITS) })
  .refine((d) => durationToMs(d) <= 90 * 86_400_000, { message: 'must be at most 90 days', path: ['amount'] });

const UNIT_MS: Record<DurationUnit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** A duration in milliseconds. */
export function durationToMs(d: Duration): number {
  return Math.round(d.amount * UNIT_MS[d.unit]);
}

/** A duration in words: `15 minutes`, `1 hour`. */
export function formatDuration(d: Duration): string {
  const unit = d.amount === 1 ? d.unit.slice(0, -1) : d.unit;
  return `${d.amount} ${unit}`;
}

/** Ids of things inside a node (cases, variants, rules): short and stable, so edges can name them. */
export const LocalIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and - (max 64)');
