import type { ScoreConfig } from '@lead-router/shared';
import { removeItem, setItem } from '../../inspector/list-ops';
import { num, TextField } from '../../inspector/text-field';

type Grade = ScoreConfig['grades'][number];

/** The grades, each the lowest total score that earns it; checked from the highest minimum down. */
export function GradesForm({ grades, problemAt, onChange }: { grades: Grade[]; problemAt: (path: string) => string | undefined; onChange: (grades: Grade[]) => void }) {
  const lowest = grades.reduce((m, g) => (typeof g.min === 'number' && g.min < m ? g.min : m), 0);
  return (
    <fieldset aria-label="Grades">
      <legend>Grades</legend>
      <p className="hint">A lead gets the grade with the highest minimum its total score reaches; below every minimum it gets no grade.</p>
      {grades.map((g, i) => (
        <div key={i} className="grade-row" data-testid={`grade-${i + 1}`}>
          <TextField label={`Grade ${i + 1}`} value={g.grade ?? ''} problem={problemAt(`${i}.grade`)} onChange={(grade) => onChange(setItem(grades, i, { ...g, grade }))} />
          <TextField label={`Grade ${i + 1} minimum score`} type="number" value={typeof g.min === 'number' ? g.min : String(g.min ?? '')} problem={problemAt(`${i}.min`)} onChange={(v) => onChange(setItem(grades, i, { ...g, min: num(v) }))} />
          <button type="button" onClick={() => onChange(removeItem(grades, i))}>
            Remove grade {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...grades, { grade: '', min: lowest - 10 }])}>
        Add grade
      </button>
    </fieldset>
  );
}
