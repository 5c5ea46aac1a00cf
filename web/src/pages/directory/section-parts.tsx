import { Pencil, Plus } from 'lucide-react';
import type { FormEvent, ReactNode } from 'react';
import { Dialog } from '../../ui/dialog';
import { ErrorMessage } from '../../ui/error-message';
import type { Editing } from './use-directory';

/** The section's "New <noun>" button, above its table. */
export function NewRecordButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <div className="page-actions">
      <button type="button" className="primary" onClick={onClick}>
        <Plus aria-hidden size={16} /> {label}
      </button>
    </div>
  );
}

/** A row's Edit button, named after the record. */
export function EditButton({ name, onEdit }: { name: string; onEdit: () => void }) {
  return (
    <button type="button" aria-label={`Edit ${name}`} onClick={onEdit}>
      <Pencil aria-hidden size={14} /> Edit
    </button>
  );
}

/** The add/edit dialog: titled "New <noun>" or "Edit <name>", the form while open, then the save error. */
export function EditDialog<T extends { name: string }>({ editing, noun, error, onClose, children }: { editing: Editing<T>; noun: string; error: unknown; onClose: () => void; children: (record: T | null) => ReactNode }) {
  return (
    <Dialog open={editing !== null} title={editing === 'new' ? `New ${noun}` : `Edit ${editing?.name ?? ''}`} onClose={onClose}>
      {editing !== null && children(editing === 'new' ? null : editing)}
      <ErrorMessage error={error} />
    </Dialog>
  );
}

/** A labelled form whose submit runs `onSubmit` instead of navigating. */
export function SubmitForm({ label, className = 'filters', onSubmit, children }: { label: string; className?: string; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className={className}
      aria-label={label}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** One <option> per value, labelled by the value itself. */
export function ValueOptions({ values }: { values: readonly string[] }) {
  return values.map((v) => (
    <option key={v} value={v}>
      {v}
    </option>
  ));
}

/** One <option> per rep, valued by id and labelled by name. */
export function RepOptions({ reps }: { reps: ReadonlyArray<{ id: string; name: string }> | undefined }) {
  return reps?.map((r) => (
    <option key={r.id} value={r.id}>
      {r.name}
    </option>
  ));
}

/** A row's destructive button ("<label> <name>"): it acts only once the person confirms `question`. */
export function ConfirmButton({ label, name, question, onConfirm }: { label: string; name: string; question: string; onConfirm: () => void }) {
  return (
    <button type="button" className="danger" aria-label={`${label} ${name}`} onClick={() => window.confirm(question) && onConfirm()}>
      {label}
    </button>
  );
}
