import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error';
import { parseDraftDocument, parseGraphDocument } from './workflows.service';

const notes = [{ id: 'note-1', x: 0, y: -200, width: 220, height: 120, text: 'EMEA leads go to Ada first', color: 'yellow' as const }];

describe('sticky notes in a saved draft', () => {
  it('keeps the notes of a complete draft', () => {
    expect(parseDraftDocument({ ...structuredClone(hybridRoutingGraph), notes }).notes).toEqual(notes);
  });

  it('keeps the notes of a draft saved with a half-filled step', () => {
    const g = structuredClone(hybridRoutingGraph) as { nodes: Array<{ config: unknown }> };
    (g.nodes[1] as { config: unknown }).config = { cases: 'half' };
    const saved = parseDraftDocument({ ...g, notes });
    expect(saved.notes).toEqual(notes);
  });

  it('refuses a draft with a note too long, naming the field', () => {
    const bad = { ...structuredClone(hybridRoutingGraph), notes: [{ ...notes[0], text: 'x'.repeat(2001) }] };
    let err: unknown;
    try {
      parseDraftDocument(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details).toEqual([expect.objectContaining({ code: 'invalid_note', path: 'notes.0.text' })]);
  });

  it('reads an old graph without notes as it always did', () => {
    expect('notes' in parseGraphDocument(structuredClone(hybridRoutingGraph))).toBe(false);
  });
});
