CREATE TABLE "pool_daily_counts" (
	"workspace_id" uuid NOT NULL,
	"pool_key" text NOT NULL,
	"day" text NOT NULL,
	"assigned" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "pool_daily_counts_workspace_id_pool_key_day_pk" PRIMARY KEY("workspace_id","pool_key","day")
);
--> statement-breakpoint
ALTER TABLE "reps" ADD COLUMN "cap_per_week" integer;--> statement-breakpoint
ALTER TABLE "reps" ADD COLUMN "cap_per_month" integer;--> statement-breakpoint
ALTER TABLE "reps" ADD COLUMN "caps_time_zone" text DEFAULT 'rep' NOT NULL;--> statement-breakpoint
ALTER TABLE "reps" ADD COLUMN "online" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "cap_per_day" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "cap_per_week" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "cap_per_month" integer;