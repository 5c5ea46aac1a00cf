import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useToast } from '../../ui/toast';

type QueryKey = readonly unknown[];

/**
 * A directory mutation: on success it toasts `toast(result)` (when given), runs `onSuccess`, then
 * invalidates each of `invalidate` (every directory query by default) so the tables refetch.
 */
export function useDirectoryMutation<TVars = void, TResult = unknown>(options: {
  mutationFn: (vars: TVars) => Promise<TResult>;
  toast?: (result: TResult) => string;
  onSuccess?: (result: TResult) => void;
  invalidate?: readonly QueryKey[];
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const invalidate = options.invalidate ?? [['directory']];
  return useMutation({
    mutationFn: options.mutationFn,
    onSuccess: (result: TResult) => {
      if (options.toast) toast(options.toast(result));
      options.onSuccess?.(result);
      for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
    },
  });
}

/** What an add/edit dialog holds: nothing (closed), a new record, or the record being edited. */
export type Editing<T> = T | 'new' | null;

/**
 * The add/edit plumbing of a directory record kept by id: which record the dialog edits, and a save that
 * creates (POST) a new one or replaces (PUT) the edited one, toasts "Saved <name>" and closes the dialog.
 */
export function useEditableRecord<T, TInput extends { id: string }, TResult extends { name: string }>(options: {
  create: (input: TInput) => Promise<TResult>;
  replace: (id: string, body: Omit<TInput, 'id'>) => Promise<TResult>;
  invalidate?: readonly QueryKey[];
}) {
  const [editing, setEditing] = useState<Editing<T>>(null);
  const save = useDirectoryMutation({
    mutationFn: (input: TInput) => {
      const { id, ...body } = input;
      return editing === 'new' ? options.create(input) : options.replace(id, body);
    },
    toast: (r) => `Saved ${r.name}`,
    onSuccess: () => setEditing(null),
    invalidate: options.invalidate,
  });
  return { editing, setEditing, save };
}
