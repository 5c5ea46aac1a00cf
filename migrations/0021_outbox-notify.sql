-- Workers start the leads of the outbox (OUTBOX_DISPATCH=worker): every insert into it wakes them with a NOTIFY,
-- sent when the inserting transaction commits (one per transaction however many rows it wrote; nothing when it
-- rolls back). The payload is empty: a worker drains whatever is due, so it needs no row ids.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lead_router_outbox', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
