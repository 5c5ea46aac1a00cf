import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { api, read } from '../../api/client';

/** Query factories of the settings pages. */
export const workspaceSettingsQuery = queryOptions({ queryKey: ['settings', 'workspace'], queryFn: () => read(api.api.workspace.settings.$get()) });
export const holidayCountriesQuery = queryOptions({ queryKey: ['settings', 'holiday-countries'], queryFn: () => read(api.api['holiday-calendars'].$get()), staleTime: Infinity });
export const holidayRegionsQuery = (country: string) =>
  queryOptions({ queryKey: ['settings', 'holiday-regions', country], queryFn: () => read(api.api['holiday-calendars'][':country'].regions.$get({ param: { country } })), staleTime: Infinity, enabled: country !== '' });
export const upcomingHolidaysQuery = (country: string, region: string) =>
  queryOptions({
    queryKey: ['settings', 'upcoming-holidays', country, region],
    queryFn: () => read(api.api['holiday-calendars'][':country'].upcoming.$get({ param: { country }, query: { ...(region ? { region } : {}), limit: '8' } })),
    enabled: country !== '',
  });

export const connectionsQuery = queryOptions({ queryKey: ['settings', 'crm'], queryFn: () => read(api.api.crm.connections.$get()) });
export const crmFieldsQuery = (id: string, object: CrmObject) =>
  queryOptions({ queryKey: ['settings', 'crm', id, 'fields', object], queryFn: () => read(api.api.crm.connections[':id'].fields.$get({ param: { id }, query: { object } })) });

export const secretsQuery = queryOptions({ queryKey: ['settings', 'secrets'], queryFn: () => read(api.api.secrets.$get()) });

export type WorkspaceSettings = InferResponseType<typeof api.api.workspace.settings.$get, 200>;
export type Connection = InferResponseType<typeof api.api.crm.connections.$get, 200>['connections'][number];
export type NewConnection = InferRequestType<typeof api.api.crm.connections.$post>['json'];
export type ConnectionPatch = InferRequestType<(typeof api.api.crm.connections)[':id']['$patch']>['json'];
export type TestResult = InferResponseType<(typeof api.api.crm.connections)[':id']['test']['$post'], 200>;
export type MappingPreview = InferResponseType<(typeof api.api.crm.connections)[':id']['preview']['$post'], 200>;
export type CrmFields = InferResponseType<(typeof api.api.crm.connections)[':id']['fields']['$get'], 200>;
export type Secret = InferResponseType<typeof api.api.secrets.$get, 200>['secrets'][number];
export type CrmObject = 'Lead' | 'Contact';
export type MapRow = { crmField: string; leadField: string };
