import { queryOptions } from '@tanstack/react-query';
import { api, read } from '../../api/client';

/** The workspace's workflows (archived ones too when asked). */
export const workflowsQuery = (archived: boolean) =>
  queryOptions({
    queryKey: ['workflows', { archived }],
    queryFn: () => read(api.api.workflows.$get({ query: { archived: archived ? 'true' : 'false' } })),
  });

export type WorkflowSummary = Awaited<ReturnType<ReturnType<typeof workflowsQuery>['queryFn'] & {}>>['workflows'][number];
