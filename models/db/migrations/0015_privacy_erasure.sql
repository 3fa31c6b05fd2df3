CREATE TABLE "retention_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"run_day" date NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_email_or_phone";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_mail_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_detail_days" integer DEFAULT 730 NOT NULL;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_walk_in_days" integer DEFAULT 1095 NOT NULL;--> statement-breakpoint
ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_runs_station_day" ON "retention_runs" USING btree ("station_id","run_day");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_or_phone" CHECK ("accounts"."closed_at" is not null or "accounts"."email" is not null or "accounts"."phone" is not null);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_retention_mail" CHECK ("stations"."retention_mail_days" between 7 and 3650);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_retention_detail" CHECK ("stations"."retention_detail_days" between 30 and 3650);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_retention_walk_in" CHECK ("stations"."retention_walk_in_days" between 365 and 3650);--> statement-breakpoint
-- The audit log stays append-only, with one exception (ADR 23): erasure and retention may take
-- keys out of a row's details (the new details contained in the old), and change nothing else.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.station_id = OLD.station_id
     AND NEW.actor_account_id IS NOT DISTINCT FROM OLD.actor_account_id AND NEW.action = OLD.action
     AND NEW.target_type = OLD.target_type AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id AND NEW.at = OLD.at
     AND jsonb_typeof(NEW.details) = 'object' AND OLD.details @> NEW.details THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
