CREATE TABLE "webhook_signatures" (
	"signature" text PRIMARY KEY NOT NULL,
	"workflow_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "webhook_signatures" ADD CONSTRAINT "webhook_signatures_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_signatures_expiry_idx" ON "webhook_signatures" USING btree ("expires_at");