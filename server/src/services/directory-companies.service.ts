import { companyColumns, companyFromRow } from '@lead-router/db/directory-rows';
import { hostOf, type Company } from '@lead-router/shared';
import { and, asc, eq, gt, ilike, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { companies } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { companyCursor } from './cursor';
import type { CompanyBody } from './directory-inputs';
import { assertStorable } from './storable-text';
import { assertWithinLimit, containsPattern, lockKind, type Page } from './directory-entity';

// The firmographics table the `enrich` step reads, keyed by bare lower-case domain (what `hostOf` makes of a
// lead's website or email), so a lookup by the lead's domain finds the row.




/**
 * Inserts or replaces company rows (domains already normalised and distinct) in chunks; says how many were
 * new. The caller holds the transaction, the `company` kind lock, and checks the limit afterwards.
 */
export async function upsertCompanyRows(tx: Tx, workspaceId: string, rows: ReadonlyArray<{ domain: string } & ReturnType<typeof companyColumns>>): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    // xmax is 0 on a row this statement inserted and set on one it updated: Postgres's own created/updated flag.
    const result = await tx
      .insert(companies)
      .values(chunk.map((r) => ({ workspaceId, ...r })))
      .onConflictDoUpdate({
        target: [companies.workspaceId, companies.domain],
        set: {
          name: sql`excluded.name`,
          employees: sql`excluded.employees`,
          annualRevenue: sql`excluded.annual_revenue`,
          industry: sql`excluded.industry`,
          country: sql`excluded.country`,
          technologies: sql`excluded.technologies`,
        },
      })
      .returning({ created: sql<boolean>`(xmax = 0)` });
    created += result.filter((r) => r.created).length;
  }
  return { created, updated: rows.length - created };
}

/** A page of the firmographics table by domain; `q` searches domains. */
export async function listCompanies(db: Db | Tx, workspaceId: string, query: { q?: string; limit?: number; cursor?: readonly [domain: string] } = {}): Promise<Page<Company>> {
  const limit = query.limit ?? 100;
  const where: SQL[] = [eq(companies.workspaceId, workspaceId)];
  if (query.cursor) where.push(gt(companies.domain, query.cursor[0]));
  if (query.q) where.push(ilike(companies.domain, containsPattern(query.q.trim().toLowerCase())));
  const rows = await db
    .select()
    .from(companies)
    .where(and(...where))
    .orderBy(asc(companies.domain))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(companyFromRow);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? companyCursor.encode(last.domain) : null };
}

/** The row of a domain (given in any form `hostOf` understands), or `not_found`. */
export async function getCompany(db: Db | Tx, workspaceId: string, domain: string): Promise<Company> {
  const d = hostOf(domain);
  if (d === undefined) throw notFound(`Company ${domain.slice(0, 80)}`);
  const [row] = await db
    .select()
    .from(companies)
    .where(and(eq(companies.workspaceId, workspaceId), eq(companies.domain, d)))
    .limit(1);
  if (!row) throw notFound(`Company ${d}`);
  return companyFromRow(row);
}

/** Creates or replaces the row of a domain (stored bare and lower-case); says whether it was new. */
export async function putCompany(db: Db, p: Principal, domain: string, body: CompanyBody): Promise<{ company: Company; created: boolean }> {
  const d = hostOf(domain);
  if (d === undefined) {
    throw new DomainError('invalid_request', `"${domain.slice(0, 80)}" is not a domain name such as acme.com.`, [{ path: 'domain', message: 'not a domain name such as acme.com' }]);
  }
  if (body.domain !== undefined && hostOf(body.domain) !== d) {
    throw new DomainError('invalid_request', `The body's domain "${body.domain.slice(0, 80)}" differs from the path's "${d}".`, [
      { path: 'domain', message: `must be the path's domain "${d}" (or be left out)` },
    ]);
  }
  const { domain: _ignored, ...fields } = body;
  assertStorable(fields);
  return db.transaction(async (tx) => {
    await lockKind(tx, p.workspaceId, 'company');
    const { created } = await upsertCompanyRows(tx, p.workspaceId, [{ domain: d, ...companyColumns(fields) }]);
    if (created) await assertWithinLimit(tx, p.workspaceId, 'company', await tx.$count(companies, eq(companies.workspaceId, p.workspaceId)));
    const company = await getCompany(tx, p.workspaceId, d);
    await audit(tx, p, p.workspaceId, created ? 'company.create' : 'company.update', { type: 'company', id: d }, { after: company });
    return { company, created: created === 1 };
  });
}

/** Deletes the row of a domain, or `not_found`. */
export async function deleteCompany(db: Db, p: Principal, domain: string): Promise<void> {
  const d = hostOf(domain);
  if (d === undefined) throw notFound(`Company ${domain.slice(0, 80)}`);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(companies)
      .where(and(eq(companies.workspaceId, p.workspaceId), eq(companies.domain, d)))
      .returning({ domain: companies.domain });
    if (gone.length === 0) throw notFound(`Company ${d}`);
    await audit(tx, p, p.workspaceId, 'company.delete', { type: 'company', id: d });
  });
}
