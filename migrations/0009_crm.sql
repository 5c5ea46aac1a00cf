CREATE TABLE "crm_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"login_url" text NOT NULL,
	"auth_kind" text NOT NULL,
	"client_id" text,
	"username" text,
	"client_secret_enc" text,
	"private_key_enc" text,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"instance_url" text,
	"org_id" text,
	"crm_user_id" text,
	"workflow_id" uuid,
	"objects" jsonb DEFAULT '["Lead"]'::jsonb NOT NULL,
	"field_mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"poll_interval_seconds" integer DEFAULT 60 NOT NULL,
	"api_usage_ceiling_percent" integer DEFAULT 50 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"api_used" integer,
	"api_limit" integer,
	"next_poll_at" timestamp with time zone DEFAULT now() NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_polled_at" timestamp with time zone,
	"oauth_state_hash" text,
	"oauth_verifier_enc" text,
	"oauth_started_at" timestamp with time zone,
	"oauth_return_to" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crm_poll_marks" (
	"connection_id" uuid NOT NULL,
	"object" text NOT NULL,
	"modstamp" text NOT NULL,
	"last_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_poll_marks_connection_id_object_pk" PRIMARY KEY("connection_id","object")
);
--> statement-breakpoint
CREATE TABLE "crm_records" (
	"connection_id" uuid NOT NULL,
	"crm_id" text NOT NULL,
	"object" text NOT NULL,
	"lead_id" uuid NOT NULL,
	"modstamp" text NOT NULL,
	"updates" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_records_connection_id_crm_id_pk" PRIMARY KEY("connection_id","crm_id")
);
--> statement-breakpoint
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_poll_marks" ADD CONSTRAINT "crm_poll_marks_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_records" ADD CONSTRAINT "crm_records_connection_id_crm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."crm_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_records" ADD CONSTRAINT "crm_records_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crm_connections_workspace_idx" ON "crm_connections" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "crm_connections_oauth_state_unique" ON "crm_connections" USING btree ("oauth_state_hash") WHERE "crm_connections"."oauth_state_hash" is not null;--> statement-breakpoint
CREATE INDEX "crm_records_lead_idx" ON "crm_records" USING btree ("lead_id");