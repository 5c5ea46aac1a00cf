import type { FormProps } from '../../inspector/form-props';
import { num, TextField } from '../../inspector/text-field';

/** An id no variant has yet; edges name variants by id, so ids are never reused while one exists. */
function nextVariantId(variants: readonly { id: string }[]): string {
  const ids = new Set(variants.map((v) => v.id));
  for (let i = variants.length + 1; ; i++) if (!ids.has(`v${i}`)) return `v${i}`;
}

/** Variants and their weights (percent; they must add up to 100). */
export function SplitForm({ config, onChange }: FormProps<'split'>) {
  const variants = Array.isArray(config.variants) ? config.variants : [];
  const total = variants.reduce((s, v) => s + (typeof v.percent === 'number' ? v.percent : 0), 0);
  const set = (i: number, v: (typeof variants)[number]) => onChange({ ...config, variants: variants.map((x, j) => (j === i ? v : x)) });
  return (
    <div>
      {variants.map((v, i) => (
        <fieldset key={v.id}>
          <legend>Variant {i + 1}</legend>
          <TextField label={`Variant ${i + 1} name`} value={v.label} onChange={(label) => set(i, { ...v, label })} />
          <TextField label={`Variant ${i + 1} weight (%)`} type="number" min={0} max={100} value={v.percent} onChange={(p) => set(i, { ...v, percent: num(p) })} />
          <button type="button" onClick={() => onChange({ ...config, variants: variants.filter((_, j) => j !== i) })}>
            Remove variant {i + 1}
          </button>
        </fieldset>
      ))}
      <p role="status">Total: {total}%</p>
      <button type="button" onClick={() => onChange({ ...config, variants: [...variants, { id: nextVariantId(variants), label: `Variant ${variants.length + 1}`, percent: 0 }] })}>
        Add variant
      </button>
    </div>
  );
}
