CREATE TABLE "run_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lead_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"run_number" integer NOT NULL,
	"version_id" uuid NOT NULL,
	"status" "run_status" NOT NULL,
	"outcome" text,
	"assignee_type" text,
	"assignee_id" text,
	"started_at" timestamp with time zone,
	"first_assigned_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"ended_reason" text NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"ended_by" text NOT NULL,
	"ended_by_name" text NOT NULL,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "close_reason" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "close_note" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "closed_by" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "closed_by_name" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "run_number" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_history" ADD CONSTRAINT "run_history_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "run_history_lead_run_unique" ON "run_history" USING btree ("lead_id","run_number");