import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { crmFieldValues } from '../../graph/nodes/crm-update';
import { SimulationEffects } from '../../simulation/sim-effects';
import { interpretSync } from '../../interpreter/interpret';
import { edge, end, graph, node, trigger } from '../test-graphs';

const crm = (config: Record<string, unknown>, outcomes = ['written', 'failed']) => graph([trigger(), node('c', 'crm_update', config, 'Owner to CRM'), end()], [edge('trigger', 'next', 'c'), ...outcomes.map((o) => edge('c', o, 'end'))]);
const summary = (g: unknown) => validateGraph(g).map((p) => [p.code, p.nodeId, p.path]);

describe('crm_update', () => {
  it('compiles the default config (owner only), with `failed` left unconnected', () => {
    expect(summary(crm({}, ['written']))).toEqual([]);
  });

  it('refuses a step that writes nothing', () => {
    const problems = validateGraph(crm({ writeOwner: false }));
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([['crm_update_empty', 'c', 'config.writeOwner']]);
    expect(problems[0]!.message).toContain("'Owner to CRM' writes nothing to the CRM");
  });

  it('names a CRM field written twice and a lead field that does not exist', () => {
    const g = crm({
      fields: [
        { source: 'constant', crmField: 'Status', value: 'Working' },
        { source: 'lead', crmField: 'status', leadField: 'titel' },
      ],
    });
    expect(summary(g)).toEqual([
      ['duplicate_crm_field', 'c', 'config.fields.1.crmField'],
      ['unknown_field', 'c', 'config.fields.1.leadField'],
    ]);
    expect(validateGraph(g)[1]!.message).toContain("Did you mean 'title'?");
  });

  it('bad config is refused naming the field', () => {
    expect(summary(crm({ connectionId: 'not-a-uuid', fields: [{ source: 'constant', crmField: 'Bad Field', value: 1 }], task: { subject: '', dueInDays: 400 } })).map((p) => p[2])).toEqual(
      expect.arrayContaining(['config.connectionId', 'config.fields.0.crmField', 'config.task.subject', 'config.task.dueInDays']),
    );
  });

  it('a test run records what would be written and takes `written`; nothing is sent', () => {
    const compiled = compile(crm({ fields: [{ source: 'lead', crmField: 'Title', leadField: 'title' }, { source: 'constant', crmField: 'Rating', value: 'Hot' }], task: { subject: 'Call' } }));
    if (!compiled.ok) throw new Error('does not compile');
    const sim = new SimulationEffects({ directory: { reps: [], teams: [], territories: [], accounts: [], queues: [] } as never, startTime: 0 });
    sim.beginLead('l1');
    const run = interpretSync(compiled.plan, { title: 'CTO' }, sim, { leadId: 'l1' });
    if (!('steps' in run)) throw new Error('paused');
    const step = run.steps.find((s) => s.nodeId === 'c')!;
    expect(step.outcome).toBe('written');
    expect(step.output).toMatchObject({ written: true, fields: { Title: 'CTO', Rating: 'Hot' } });
    expect(step.explanation.join(' ')).toContain('Test run: nothing is sent to the CRM; a real run writes owner nobody (no rep holds the lead), 2 field(s), task “Call”');
  });

  it('field values come from the lead as it stands; an empty lead field writes null', () => {
    expect(crmFieldValues([{ source: 'lead', crmField: 'A', leadField: 'x' }, { source: 'lead', crmField: 'B', leadField: 'y' }, { source: 'constant', crmField: 'C', value: null }], { x: 5 })).toEqual({ A: 5, B: null, C: null });
  });
});
