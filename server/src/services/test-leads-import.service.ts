import { buildCatalog, importCrmCsv, type CrmImport } from '@lead-router/shared';
import type { Db } from '@lead-router/db/client';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { DomainError } from '../errors/domain-error';
import { requireWorkflow } from './workflow-access';

// A CRM export (Salesforce, HubSpot, or any CSV of leads) read into test leads for a workflow's test-run
// library: the columns recognised against the workspace's fields (custom ones included), every value typed,
// each bad cell named by row and column. Nothing is stored here: the leads go to a test run (simulate). To
// store and route a file's leads for real, backfill-import.service.ts reads it with this and routes them as a
// backfill (docs/backfill.md).

/** `POST /workflows/{id}/test-leads/import`: the file's leads, how its columns were read, and its problems. */
export async function importTestLeads(db: Db, workspaceId: string, workflowId: string, body: () => Promise<string>): Promise<CrmImport> {
  // Another workspace's workflow is a 404 whatever the body is: nothing about the file is said first.
  await requireWorkflow(db, workspaceId, workflowId);
  const text = await body();
  const directory = await loadDirectory(db, workspaceId, { companies: false });
  const result = importCrmCsv(text, buildCatalog(directory.customFields));
  if (result.ok) return result.value;
  const { code, message } = result.refusal;
  throw new DomainError(code === 'payload_too_large' ? 'payload_too_large' : 'invalid_import', message, [{ path: 'body', message, code }]);
}
