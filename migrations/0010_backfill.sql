CREATE TABLE "backfill_items" (
	"job_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"run_number" integer,
	"at" timestamp with time zone,
	CONSTRAINT "backfill_items_job_id_lead_id_pk" PRIMARY KEY("job_id","lead_id")
);
--> statement-breakpoint
CREATE TABLE "backfill_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"filter" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"skipped_reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_by_name" text NOT NULL,
	"note" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "backfill_job_id" uuid;--> statement-breakpoint
ALTER TABLE "backfill_items" ADD CONSTRAINT "backfill_items_job_id_backfill_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."backfill_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_items" ADD CONSTRAINT "backfill_items_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfill_jobs" ADD CONSTRAINT "backfill_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backfill_items_seq_idx" ON "backfill_items" USING btree ("job_id","seq");--> statement-breakpoint
CREATE INDEX "backfill_items_pending_idx" ON "backfill_items" USING btree ("job_id","seq") WHERE "backfill_items"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "backfill_jobs_workspace_idx" ON "backfill_jobs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "backfill_jobs_running_idx" ON "backfill_jobs" USING btree ("created_at") WHERE "backfill_jobs"."status" = 'running';