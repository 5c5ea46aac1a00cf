CREATE TABLE "queue_alerts" (
	"lead_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"queue_id" text NOT NULL,
	"threshold_minutes" integer NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"channel_detail" text,
	CONSTRAINT "queue_alerts_lead_id_queue_id_threshold_minutes_pk" PRIMARY KEY("lead_id","queue_id","threshold_minutes")
);
--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "age_alert_minutes" integer;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "notify" jsonb;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "member_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "queue_alerts" ADD CONSTRAINT "queue_alerts_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_runs_queue_idx" ON "routing_runs" USING btree ("workspace_id","assignee_id","assigned_at") WHERE "routing_runs"."assignee_type" = 'queue';