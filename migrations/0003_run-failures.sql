ALTER TABLE "outbox" ADD COLUMN "retry" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "error" text;