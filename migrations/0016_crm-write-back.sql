CREATE TABLE "crm_users" (
	"connection_id" uuid NOT NULL,
	"crm_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_users_connection_id_crm_id_pk" PRIMARY KEY("connection_id","crm_id")
);
--> statement-breakpoint
CREATE TABLE "crm_writes" (
	"key" text PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" text NOT NULL,
	"owner_crm_id" text,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"task" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "sync_interval_seconds" integer DEFAULT 3600 NOT NULL;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "next_sync_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "accounts_mark" text;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "last_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD COLUMN "last_sync_error" text;--> statement-breakpoint
ALTER TABLE "crm_users" ADD CONSTRAINT "crm_users_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_writes" ADD CONSTRAINT "crm_writes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_writes" ADD CONSTRAINT "crm_writes_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_writes" ADD CONSTRAINT "crm_writes_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crm_users_email_idx" ON "crm_users" USING btree ("connection_id",lower("email"));--> statement-breakpoint
CREATE INDEX "crm_writes_pending_idx" ON "crm_writes" USING btree ("connection_id","next_attempt_at") WHERE "crm_writes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "crm_writes_lead_idx" ON "crm_writes" USING btree ("lead_id");