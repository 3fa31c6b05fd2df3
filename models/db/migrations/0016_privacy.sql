CREATE TABLE "person_consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"purpose" text NOT NULL,
	"version" smallint NOT NULL,
	"method" text NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" integer,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" integer,
	"withdraw_method" text,
	CONSTRAINT "person_consents_purpose" CHECK ("person_consents"."purpose" in ('booking_reminders', 'health_needs', 'mail')),
	CONSTRAINT "person_consents_method" CHECK ("person_consents"."method" in ('online', 'in_person', 'phone', 'paper')),
	CONSTRAINT "person_consents_withdrawn" CHECK (("person_consents"."withdrawn_at" is null) = ("person_consents"."withdraw_method" is null) and ("person_consents"."withdraw_method" is null or "person_consents"."withdraw_method" in ('online', 'in_person', 'phone', 'paper'))),
	CONSTRAINT "person_consents_order" CHECK ("person_consents"."withdrawn_at" is null or "person_consents"."withdrawn_at" >= "person_consents"."given_at"),
	CONSTRAINT "person_consents_version" CHECK ("person_consents"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "retention_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"run_day" date NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sensitive_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"viewer_account_id" integer,
	"person_id" integer NOT NULL,
	"kind" text NOT NULL,
	"page" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sensitive_views_kind" CHECK ("sensitive_views"."kind" in ('needs', 'topic')),
	CONSTRAINT "sensitive_views_page" CHECK (char_length("sensitive_views"."page") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_email_or_phone";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "household_consents" ADD COLUMN "text_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_mail_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_detail_days" integer DEFAULT 730 NOT NULL;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "retention_walk_in_days" integer DEFAULT 1095 NOT NULL;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_withdrawn_by_people_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_runs" ADD CONSTRAINT "retention_runs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_viewer_account_id_accounts_id_fk" FOREIGN KEY ("viewer_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_consents_station_idx" ON "person_consents" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "person_consents_person_idx" ON "person_consents" USING btree ("person_id","given_at");--> statement-breakpoint
CREATE UNIQUE INDEX "person_consents_active_uq" ON "person_consents" USING btree ("person_id","purpose") WHERE "person_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_runs_station_day" ON "retention_runs" USING btree ("station_id","run_day");--> statement-breakpoint
CREATE INDEX "sensitive_views_person_idx" ON "sensitive_views" USING btree ("person_id","at");--> statement-breakpoint
CREATE INDEX "sensitive_views_station_at_idx" ON "sensitive_views" USING btree ("station_id","at");--> statement-breakpoint
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
