/**
 * @lead-router/shared: the routing graph model, field catalog, conditions, compiler, the one interpreter,
 * the pure assignment choice and simulated effects. Free of Node and DOM APIs, so the Temporal workflow,
 * the server and the browser all run the very same code.
 */
export * from './errors';
export * from './lead-close';
export * from './plan';
export * from './fields/catalog';
export * from './fields/lead';
export * from './fields/normalize-lead';
export * from './fields/free-mail';
export * from './formats/csv';
export * from './formats/leads-file';
export * from './conditions/ast';
export * from './conditions/evaluate';
export * from './conditions/check';
export * from './conditions/pattern';
export * from './conditions/territory';
export * from './directory/schema';
export * from './directory/firmographics';
export * from './graph/nodes/kind';
export * from './graph/nodes/trigger';
export * from './graph/nodes/branch';
export * from './graph/nodes/split';
export * from './graph/nodes/enrich';
export * from './graph/nodes/match-account';
export * from './graph/nodes/score';
export * from './graph/nodes/assign';
export * from './graph/nodes/notify';
export * from './graph/nodes/wait';
export * from './graph/nodes/escalate';
export * from './graph/nodes/update';
export * from './graph/nodes/end';
export * from './graph/node';
export * from './graph/graph';
export * from './graph/migrations';
export * from './compiler/index';
export * from './interpreter/effects';
export * from './interpreter/trace';
export * from './interpreter/trace-schema';
export * from './interpreter/changes';
export * from './interpreter/interpret';
export * from './assignment/types';
export * from './assignment/directory-index';
export * from './matching/index';
export * from './assignment/working-hours';
export * from './assignment/eligibility';
export * from './assignment/choose';
export * from './assignment/memory-state';
export * from './simulation/sim-effects';
export * from './simulation/simulate';
export * from './calendar/index';
export * from './util/template';
export * from './util/format';
export * from './util/hash';
export * from './text';
