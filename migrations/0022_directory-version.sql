ALTER TABLE "workspaces" ADD COLUMN "directory_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A workspace's directory version goes up in every transaction that changes its directory (what a worker's
-- routing reads: reps, teams, territories, accounts, queues, custom fields, the workspace's settings). Workers
-- cache a directory for a few seconds and drop it as soon as a run reads a newer version, so a lead ingested
-- after a change (a rep switching offline) is routed on the changed directory.
--
-- The bump runs at commit (a deferred constraint trigger), once per transaction and workspace: the workspace
-- row is locked only for the commit, after every other lock the transaction takes, so a directory write can
-- never deadlock with another over it, and versions go up in commit order, the order readers see them in.
CREATE OR REPLACE FUNCTION bump_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ws uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END;
BEGIN
  IF current_setting('lead_router.directory_bumped', true) IS DISTINCT FROM ws::text THEN
    UPDATE workspaces SET directory_version = directory_version + 1 WHERE id = ws;
    PERFORM set_config('lead_router.directory_bumped', ws::text, true);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER reps_directory_version AFTER INSERT OR UPDATE OR DELETE ON reps DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER teams_directory_version AFTER INSERT OR UPDATE OR DELETE ON teams DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER territories_directory_version AFTER INSERT OR UPDATE OR DELETE ON territories DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER accounts_directory_version AFTER INSERT OR UPDATE OR DELETE ON accounts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER queues_directory_version AFTER INSERT OR UPDATE OR DELETE ON queues DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER custom_fields_directory_version AFTER INSERT OR UPDATE OR DELETE ON custom_fields DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
--> statement-breakpoint
-- The settings (time zone, holiday calendar, company days off) are on the workspace row itself.
CREATE OR REPLACE FUNCTION bump_directory_version_on_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.settings IS DISTINCT FROM OLD.settings THEN
    NEW.directory_version := OLD.directory_version + 1;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER workspaces_directory_settings BEFORE UPDATE OF settings ON workspaces FOR EACH ROW EXECUTE FUNCTION bump_directory_version_on_settings();
