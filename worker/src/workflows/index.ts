// The workflows this worker runs (the bundle's entry point).
export { routeLead } from './route-lead.workflow';
