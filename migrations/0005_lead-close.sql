ALTER TABLE "routing_runs" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "close_reason" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "close_note" text;--> statement-breakpoint
ALTER TABLE "routing_runs" ADD COLUMN "closed_by" text;