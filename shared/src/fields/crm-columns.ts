import { headerToFieldKey } from '../formats/leads-file';
import type { FieldCatalog } from './catalog';
import { CRM_COLUMN_NAMES as ENTRIES, type Target } from './crm-names';

// Which lead field each column of a CRM export fills. Salesforce (report exports with their UI labels,
// Data Loader exports with API names, often in capitals) and HubSpot (contacts exports with property
// labels, or internal names) name the same fields differently; each name below is one the vendor really
// writes. A column the product has no field for is ignored and named, never turned into a made-up field.

/** Where an export came from, as far as its header row tells. */
export type CrmSource = 'salesforce' | 'hubspot' | 'generic';

/** The vendors' names for each source, as messages show them. */
export const CRM_SOURCE_NAMES: Readonly<Record<CrmSource, string>> = { salesforce: 'Salesforce', hubspot: 'HubSpot', generic: 'generic CSV' };

function squash(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

// Squashed header -> target. Two vendors' names that squash alike ("Postal Code", PostalCode) agree on it.
const BY_SQUASHED: ReadonlyMap<string, Target> = new Map(ENTRIES.map(([, header, target]) => [squash(header), target]));

// Exact spellings that tell one vendor from the other: labels ignoring case and outer spaces; Salesforce API
// names as written or in capitals (Data Loader); HubSpot internal names in their lower case only.
const SIGNATURES: ReadonlyMap<string, 'salesforce' | 'hubspot'> = new Map(
  ENTRIES.flatMap(([vendor, header]): Array<[string, 'salesforce' | 'hubspot']> => {
    if (vendor === 'both') return [];
    const isApi = !/[\s/.]/.test(header);
    if (!isApi) return [[`label:${header.toLowerCase()}`, vendor]];
    if (vendor === 'hubspot') return [[`api:${header}`, vendor]];
    return [
      [`api:${header}`, vendor],
      [`api:${header.toUpperCase()}`, vendor],
    ];
  }),
);

function signatureOf(header: string): 'salesforce' | 'hubspot' | undefined {
  const h = header.trim();
  return SIGNATURES.get(`api:${h}`) ?? SIGNATURES.get(`label:${h.toLowerCase()}`);
}

/** One column of an import and what it fills. */
export interface CrmColumn {
  /** 0-based position in the header row. */
  index: number;
  header: string;
  /** The lead field it fills; null when the column is ignored. */
  field: string | null;
  /** The field's label in the catalog (null when ignored). */
  fieldLabel: string | null;
  /** Why it is ignored (null when it fills a field). */
  ignored: string | null;
}

/** How a header row was read: the source it looks like, and each column's field. */
export interface CrmColumns {
  source: CrmSource;
  columns: CrmColumn[];
  /** How many columns fill a field. */
  mapped: number;
  /** The headers of the columns left out, in file order. */
  ignored: string[];
}

/**
 * Reads a CRM export's header row: tells Salesforce from HubSpot from anything else (at least two columns
 * only that vendor writes, and more than the other's), and maps each column to a lead field by the vendor's
 * label or API name, else by the catalog's key or label (custom fields included), else ignores it with the
 * reason. Routing's own fields (owner, score, ...) are never filled from a file; the first column to fill
 * a field wins, later ones are ignored.
 */
export function recognizeCrmColumns(header: readonly string[], catalog: FieldCatalog): CrmColumns {
  let salesforce = 0;
  let hubspot = 0;
  for (const h of header) {
    const vendor = signatureOf(h);
    if (vendor === 'salesforce') salesforce++;
    else if (vendor === 'hubspot') hubspot++;
  }
  const source: CrmSource = salesforce >= 2 && salesforce > hubspot ? 'salesforce' : hubspot >= 2 && hubspot > salesforce ? 'hubspot' : 'generic';

  const filledBy = new Map<string, string>();
  const columns = header.map((raw, index): CrmColumn => {
    const headerText = raw.trim();
    const r = columnTarget(headerText, catalog);
    if (typeof r !== 'string') return { index, header: headerText, field: null, fieldLabel: null, ignored: r.ignore };
    const earlier = filledBy.get(r);
    const label = catalog.fields.get(r)?.label ?? r;
    if (earlier !== undefined) return { index, header: headerText, field: null, fieldLabel: null, ignored: `"${earlier}" already fills ${label}` };
    filledBy.set(r, headerText);
    return { index, header: headerText, field: r, fieldLabel: label, ignored: null };
  });
  return { source, columns, mapped: columns.filter((c) => c.field !== null).length, ignored: columns.filter((c) => c.field === null).map((c) => c.header || `column ${c.index + 1}`) };
}

// A field key the column may fill, or why not. A vendor name for a standard field wins; then the catalog
// (a custom field called "Lead Status" keeps that column); then the vendor's reason for leaving it out.
function columnTarget(header: string, catalog: FieldCatalog): Target {
  if (squash(header) === '') return { ignore: 'the column has no name' };
  const vendor = BY_SQUASHED.get(squash(header));
  if (typeof vendor === 'string' && catalog.fields.has(vendor)) return vendor;
  const key = headerToFieldKey(header, catalog);
  const def = catalog.fields.get(key);
  if (def) {
    if (def.system === true || def.type === 'location') return { ignore: `${def.label} is set by routing, not imported` };
    return key;
  }
  if (vendor !== undefined && typeof vendor !== 'string') return vendor;
  return { ignore: 'not a lead field; define a custom field of this name to keep it' };
}

/** The one-line account of a recognition, e.g. `Recognised as a Salesforce export: 14 columns mapped, 2 ignored (Lead Owner, Rating)`. */
export function describeCrmColumns(r: Pick<CrmColumns, 'source' | 'mapped' | 'ignored'>): string {
  const head = r.source === 'generic' ? 'Not recognised as a Salesforce or HubSpot export; read as a generic CSV' : `Recognised as a ${CRM_SOURCE_NAMES[r.source]} export`;
  const mapped = `${r.mapped} column${r.mapped === 1 ? '' : 's'} mapped`;
  const ignored = r.ignored.length === 0 ? 'none ignored' : `${r.ignored.length} ignored (${r.ignored.join(', ')})`;
  return `${head}: ${mapped}, ${ignored}`;
}
