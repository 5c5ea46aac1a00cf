-- The lead list's search (GET /api/leads?q=): a case-insensitive substring of the lead's name, email or
-- company, which live in leads.data (jsonb). A trigram GIN index on the one lowered text the service
-- searches (server/src/services/leads.service.ts, searchText: the expression must stay identical) serves
-- `LIKE '%...%'` from three characters on. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "leads_search_trgm" ON "leads" USING gin (lower(coalesce("data" ->> 'firstName', '') || ' ' || coalesce("data" ->> 'lastName', '') || ' ' || coalesce("data" ->> 'email', '') || ' ' || coalesce("data" ->> 'company', '')) gin_trgm_ops);
