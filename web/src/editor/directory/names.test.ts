import { describe, expect, it } from 'vitest';
import { directoryNames, ID_NAMES } from './names';

describe('directoryNames', () => {
  const names = directoryNames({
    reps: [{ id: 'rep-ana', name: 'Ana Diaz' }],
    teams: [{ id: 'team-inbound', name: 'Inbound' }],
    queues: [{ id: 'q-1', name: 'Unassigned leads' }],
    territories: [{ id: 'terr-us', name: 'United States' }],
  });

  it('names each kind by id, and leaves an unknown id as it is', () => {
    expect(names.name('reps', 'rep-ana')).toBe('Ana Diaz');
    expect(names.name('teams', 'team-inbound')).toBe('Inbound');
    expect(names.name('territories', 'terr-us')).toBe('United States');
    expect(names.name('teams', 'team-gone')).toBe('team-gone');
    // Kinds are kept apart: a rep id is not a team.
    expect(names.name('teams', 'rep-ana')).toBe('rep-ana');
  });

  it('names an assignee, rep or queue', () => {
    expect(names.assignee('rep-ana')).toBe('Ana Diaz');
    expect(names.assignee('q-1')).toBe('Unassigned leads');
    expect(names.assignee('x')).toBe('x');
    expect(ID_NAMES.assignee('rep-ana')).toBe('rep-ana');
  });
});
