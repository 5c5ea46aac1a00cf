CREATE TABLE "sign_in_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"next_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"refused" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_limits_expires_idx" ON "sign_in_limits" USING btree ("expires_at");