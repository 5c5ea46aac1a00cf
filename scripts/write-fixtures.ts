// Writes the worked example's files into shared/fixtures/ from the typed fixtures in shared/src/fixtures/,
// so the files the docs and the CLI use can never drift from what the tests run. `npm run fixtures`.
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { toCsv } from '@lead-router/shared';
import { demoDirectory, EXAMPLE_LEADS, generateSampleLeads, HUBSPOT_CONTACTS_EXPORT_CSV, hybridRoutingGraph, SALESFORCE_LEADS_REPORT_CSV } from '@lead-router/shared/fixtures';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'fixtures');

const CSV_COLUMNS = ['id', 'firstName', 'lastName', 'email', 'title', 'company', 'website', 'country', 'state', 'postalCode', 'leadSource', 'productInterest', 'language', 'budget'];

/** The files of the worked example, by name. */
export function fixtureFiles(): Record<string, string> {
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const sample = generateSampleLeads(200);
  return {
    'hybrid-routing.graph.json': json(hybridRoutingGraph),
    'demo.directory.json': json(demoDirectory),
    'example-leads.json': json(EXAMPLE_LEADS),
    'example-leads.jsonl': EXAMPLE_LEADS.map((l) => JSON.stringify(l)).join('\n') + '\n',
    'sample-leads.csv': toCsv([CSV_COLUMNS, ...sample.map((l) => CSV_COLUMNS.map((c) => l[c] ?? null))]),
    'salesforce-leads-report.csv': SALESFORCE_LEADS_REPORT_CSV,
    'hubspot-contacts-export.csv': HUBSPOT_CONTACTS_EXPORT_CSV,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(FIXTURES_DIR, { recursive: true });
  for (const [name, text] of Object.entries(fixtureFiles())) {
    writeFileSync(join(FIXTURES_DIR, name), text);
    console.log(`wrote shared/fixtures/${name}`);
  }
}
