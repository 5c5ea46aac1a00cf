import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog';
import { describeCrmColumns, recognizeCrmColumns } from './crm-columns';

const standard = buildCatalog();
const fields = (header: string[], catalog = standard) => recognizeCrmColumns(header, catalog).columns.map((c) => [c.header, c.field]);

describe('recognizeCrmColumns: Salesforce', () => {
  it('reads a Leads report export by its UI labels and says what it left out', () => {
    const header = ['Lead Owner', 'First Name', 'Last Name', 'Title', 'Company', 'Email', 'Phone', 'Lead Source', 'No. of Employees', 'Annual Revenue', 'Industry', 'City', 'State/Province', 'Zip/Postal Code', 'Country', 'Rating'];
    const r = recognizeCrmColumns(header, standard);
    expect(r.source).toBe('salesforce');
    expect(r.columns.map((c) => c.field)).toEqual([null, 'firstName', 'lastName', 'title', 'company', 'email', 'phone', 'leadSource', 'employees', 'annualRevenue', 'industry', 'city', 'state', 'postalCode', 'country', null]);
    expect(r.columns[0]?.ignored).toBe('owners are set by routing, not imported');
    expect(r.columns[15]?.ignored).toMatch(/no lead field holds it/);
    expect(describeCrmColumns(r)).toBe('Recognised as a Salesforce export: 14 columns mapped, 2 ignored (Lead Owner, Rating)');
  });

  it('reads API names as written and as Data Loader writes them, in capitals', () => {
    const api = ['Id', 'FirstName', 'LastName', 'Company', 'NumberOfEmployees', 'State', 'PostalCode', 'LeadSource', 'CreatedDate', 'OwnerId'];
    const expected = ['id', 'firstName', 'lastName', 'company', 'employees', 'state', 'postalCode', 'leadSource', 'createdAt', null];
    for (const header of [api, api.map((h) => h.toUpperCase())]) {
      const r = recognizeCrmColumns(header, standard);
      expect(r.source).toBe('salesforce');
      expect(r.columns.map((c) => c.field)).toEqual(expected);
    }
  });
});

describe('recognizeCrmColumns: HubSpot', () => {
  it('reads a contacts export by its property labels', () => {
    const header = ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Company Name', 'Job Title', 'Number of Employees', 'Annual Revenue', 'Industry', 'State/Region', 'Country/Region', 'Postal Code', 'Website URL', 'Lifecycle Stage', 'Lead Status', 'Contact owner', 'Create Date'];
    const r = recognizeCrmColumns(header, standard);
    expect(r.source).toBe('hubspot');
    expect(r.columns.map((c) => c.field)).toEqual(['id', 'firstName', 'lastName', 'email', 'phone', 'company', 'title', 'employees', 'annualRevenue', 'industry', 'state', 'country', 'postalCode', 'website', null, null, null, 'createdAt']);
    expect(describeCrmColumns(r)).toBe('Recognised as a HubSpot export: 15 columns mapped, 3 ignored (Lifecycle Stage, Lead Status, Contact owner)');
  });

  it('reads internal property names', () => {
    const r = recognizeCrmColumns(['hs_object_id', 'firstname', 'lastname', 'email', 'numemployees', 'state', 'zip', 'jobtitle', 'hs_lead_status', 'hubspot_owner_id'], standard);
    expect(r.source).toBe('hubspot');
    expect(r.columns.map((c) => c.field)).toEqual(['id', 'firstName', 'lastName', 'email', 'employees', 'state', 'postalCode', 'title', null, null]);
    expect(r.ignored).toEqual(['hs_lead_status', 'hubspot_owner_id']);
  });
});

describe('recognizeCrmColumns: anything else', () => {
  it('a plain CSV is generic, even with names both CRMs use, and still maps by key and label', () => {
    const r = recognizeCrmColumns(['email', 'Company', 'Country', 'Website', 'Phone', 'postal_code', 'Lead Source'], standard);
    expect(r.source).toBe('generic');
    expect(r.columns.map((c) => c.field)).toEqual(['email', 'company', 'country', 'website', 'phone', 'postalCode', 'leadSource']);
    expect(describeCrmColumns(r)).toBe('Not recognised as a Salesforce or HubSpot export; read as a generic CSV: 7 columns mapped, none ignored');
  });

  it('keeps a column as a custom field only when the workspace defines one by that key or label', () => {
    const header = ['Email', 'Lead Status', 'Favourite colour', 'plan_tier'];
    expect(fields(header)).toEqual([
      ['Email', 'email'],
      ['Lead Status', null],
      ['Favourite colour', null],
      ['plan_tier', null],
    ]);
    const custom = buildCatalog([
      { key: 'leadStatus', label: 'Lead Status', type: 'text' },
      { key: 'plan_tier', label: 'Plan', type: 'picklist', options: ['Free', 'Pro'] },
    ]);
    const r = recognizeCrmColumns(header, custom);
    expect(r.columns.map((c) => c.field)).toEqual(['email', 'leadStatus', null, 'plan_tier']);
    expect(r.columns[2]?.ignored).toBe('not a lead field; define a custom field of this name to keep it');
  });

  it('never fills routing fields from a file, and the first column to fill a field wins', () => {
    const r = recognizeCrmColumns(['Phone', 'Phone Number', 'Score', 'Owner', 'Email', ''], standard);
    expect(r.columns.map((c) => [c.field, c.ignored])).toEqual([
      ['phone', null],
      [null, '"Phone" already fills Phone'],
      [null, 'Score is set by routing, not imported'],
      [null, 'Owner is set by routing, not imported'],
      ['email', null],
      [null, 'the column has no name'],
    ]);
    expect(r.ignored).toEqual(['Phone Number', 'Score', 'Owner', 'column 6']);
  });
});
