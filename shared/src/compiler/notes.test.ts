import { describe, expect, it } from 'vitest';
import { DirectorySchema } from '../directory/schema';
import { demoDirectory, EXAMPLE_LEADS, hybridRoutingGraph } from '../fixtures/index';
import { GraphSchema, MAX_NOTE_TEXT, MAX_NOTES, type Graph, type GraphNote } from '../graph/graph';
import { simulate } from '../simulation/simulate';
import { compile, parseGraph } from './index';

// Sticky notes are annotations: saved with the graph, bounded like everything else in it, and never read
// by anything that routes a lead.

const directory = DirectorySchema.parse(demoDirectory);
const note = (i: number, extra: Partial<GraphNote> = {}): GraphNote => ({ id: `note-${i}`, x: i * 10, y: -200, width: 200, height: 120, text: `Note ${i}`, ...extra });
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const withNotes = (notes: unknown): Graph => ({ ...copy(hybridRoutingGraph), notes }) as Graph;

describe('sticky notes in the graph document', () => {
  it('compiles a graph with notes to exactly the plan of the same graph without them, and routes every lead alike', () => {
    const plain = compile(hybridRoutingGraph, { directory });
    const noted = compile(withNotes([note(1), note(2, { color: 'blue', text: 'Assign → EMEA team\nAsk Ada first' })]), { directory });
    if (!plain.ok || !noted.ok) throw new Error('fixture does not compile');
    expect(noted.plan).toEqual(plain.plan);
    expect(JSON.stringify(noted.plan)).not.toContain('note-1');
    const leads = EXAMPLE_LEADS.map((lead) => ({ leadId: String(lead.id), lead }));
    const at = Date.parse('2026-11-24T15:00:00Z');
    const a = simulate(plain.plan, leads, { directory, startTime: at });
    const b = simulate(noted.plan, leads, { directory, startTime: at });
    expect(b.results.map((r) => r.path)).toEqual(a.results.map((r) => r.path));
    expect(b.summary).toEqual(a.summary);
  });

  it('reads a graph saved before notes existed without adding the key', () => {
    const parsed = parseGraph(copy(hybridRoutingGraph));
    expect(parsed.ok).toBe(true);
    expect('notes' in parsed.graph).toBe(false);
    expect(GraphSchema.safeParse(hybridRoutingGraph).success).toBe(true);
  });

  it('keeps valid notes through parsing, so a saved draft keeps them', () => {
    const parsed = parseGraph(withNotes([note(1, { color: 'green' })]));
    expect(parsed.ok).toBe(true);
    expect(parsed.graph.notes).toEqual([note(1, { color: 'green' })]);
  });

  it('refuses a note whose text is too long, naming the note and the field', () => {
    const parsed = parseGraph(withNotes([note(1), note(2, { text: 'x'.repeat(MAX_NOTE_TEXT + 1) })]));
    expect(parsed.ok).toBe(false);
    expect(parsed.problems).toEqual([
      expect.objectContaining({ code: 'invalid_note', path: 'notes.1.text', message: expect.stringMatching(/^Text: .*2000.*\(in Note 2\)$/) }),
    ]);
    // The good note and every step still parse.
    expect(parsed.graph.notes?.map((n) => n.id)).toEqual(['note-1']);
    expect(parsed.graph.nodes).toHaveLength(hybridRoutingGraph.nodes.length);
  });

  it('refuses more than the most notes a graph may carry, and notes that are not a list', () => {
    const many = parseGraph(withNotes(Array.from({ length: MAX_NOTES + 1 }, (_, i) => note(i))));
    expect(many.problems).toEqual([expect.objectContaining({ code: 'invalid_note', path: 'notes', message: expect.stringContaining(`at most ${MAX_NOTES}`) })]);
    expect(parseGraph(withNotes({ a: 1 })).problems).toEqual([expect.objectContaining({ code: 'invalid_note', path: 'notes' })]);
  });

  it('names each bad field of a note: a missing text, a tiny width, an unknown colour, a repeated id', () => {
    const parsed = parseGraph(withNotes([{ id: 'a', x: 0, y: 0, width: 10, height: 100 }, note(2, { color: 'purple' as never }), note(3), note(4, { id: 'note-3' })]));
    expect(parsed.problems.map((p) => [p.path, p.message])).toEqual([
      ['notes.0.width', 'Width: must be at least 80 (in Note 1)'],
      ['notes.0.text', 'Text: is required (in Note 1)'],
      ['notes.1.color', "Colour: must be one of 'yellow', 'blue', 'green', 'pink' (in Note 2)"],
      ['notes.3.id', "Notes 3 and 4 both have the id 'note-3'; each note needs its own id."],
    ]);
  });

  it('does not let a bad note be published: compile lists it as an error', () => {
    const r = compile(withNotes([note(1, { height: 99999 })]), { directory });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'invalid_note', path: 'notes.0.height' })]);
  });
});
