CREATE TABLE "service_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"reporting_line" text NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_lines_name_len" CHECK (char_length("service_lines"."name_zh") between 1 and 40 and char_length("service_lines"."name_en") between 1 and 60),
	CONSTRAINT "service_lines_reporting_len" CHECK (char_length("service_lines"."reporting_line") between 1 and 40)
);
--> statement-breakpoint
CREATE TABLE "station_secrets" (
	"station_id" integer PRIMARY KEY NOT NULL,
	"checkin_key" text DEFAULT replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_secrets_key_format" CHECK ("station_secrets"."checkin_key" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"service_line_id" integer NOT NULL,
	"local_day" date NOT NULL,
	"count" smallint DEFAULT 1 NOT NULL,
	"person_id" integer,
	"recorded_by_account_id" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_count" CHECK ("visits"."count" between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "checkin_closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "checkin_closed_by_account_id" integer;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "walk_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "attendance" "attendance";--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "attended_count" integer;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "attendance_reason" text;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "attendance_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "attendance_by_account_id" integer;--> statement-breakpoint
ALTER TABLE "service_lines" ADD CONSTRAINT "service_lines_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_secrets" ADD CONSTRAINT "station_secrets_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_service_line_id_service_lines_id_fk" FOREIGN KEY ("service_line_id") REFERENCES "public"."service_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_lines_station_name" ON "service_lines" USING btree ("station_id","name_zh") WHERE "service_lines"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "visits_station_day_idx" ON "visits" USING btree ("station_id","local_day");--> statement-breakpoint
CREATE INDEX "visits_person_idx" ON "visits" USING btree ("person_id") WHERE "visits"."person_id" is not null;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_checkin_closed_by_account_id_accounts_id_fk" FOREIGN KEY ("checkin_closed_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_attendance_by_account_id_accounts_id_fk" FOREIGN KEY ("attendance_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signups_person_noshow_idx" ON "signups" USING btree ("person_id") WHERE "signups"."attendance" = 'no_show';--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_attendance_confirmed" CHECK ("signups"."attendance" is null or "signups"."status" = 'confirmed');--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_attended_count" CHECK (coalesce("signups"."attendance" = 'attended', false) = ("signups"."attended_count" is not null) and ("signups"."attended_count" is null or "signups"."attended_count" between 1 and "signups"."party_size"));--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_attendance_reason" CHECK (coalesce("signups"."attendance" = 'no_show_excused', false) = ("signups"."attendance_reason" is not null) and ("signups"."attendance_reason" is null or char_length("signups"."attendance_reason") between 1 and 200));--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_attendance_at" CHECK (("signups"."attendance" is null) = ("signups"."attendance_at" is null));--> statement-breakpoint
-- Every existing station gets its check-in signing key now; stations made later get theirs on first use.
INSERT INTO "station_secrets" ("station_id") SELECT "id" FROM "stations" ON CONFLICT DO NOTHING;
