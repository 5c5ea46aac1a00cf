import { STANDARD_FIELDS, type FieldDef } from '@lead-router/shared';
import { useQuery } from '@tanstack/react-query';
import { fieldsQuery } from '../api/queries';

/** The field catalog for pickers: the workspace's catalog from the server, the standard fields until it loads. */
export function useFieldCatalog(): readonly FieldDef[] {
  const q = useQuery(fieldsQuery);
  return (q.data?.fields as FieldDef[] | undefined) ?? STANDARD_FIELDS;
}
