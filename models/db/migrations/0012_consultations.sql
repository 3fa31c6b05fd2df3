CREATE TYPE "public"."consultation_kind" AS ENUM('legal', 'counselling', 'family_doctor', 'other');--> statement-breakpoint
CREATE TYPE "public"."consultation_status" AS ENUM('booked', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."hours_change_kind" AS ENUM('off', 'extra');--> statement-breakpoint
ALTER TYPE "public"."commitment_kind" ADD VALUE 'consultation';--> statement-breakpoint
ALTER TYPE "public"."commitment_kind" ADD VALUE 'consulting';--> statement-breakpoint
CREATE TABLE "consultation_services" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"kind" "consultation_kind" NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"skill_id" integer NOT NULL,
	"slot_minutes" smallint NOT NULL,
	"buffer_minutes" smallint DEFAULT 0 NOT NULL,
	"book_ahead_days" smallint DEFAULT 14 NOT NULL,
	"cancel_deadline_minutes" integer DEFAULT 120 NOT NULL,
	"max_upcoming" smallint DEFAULT 1 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultation_services_name_len" CHECK (char_length("consultation_services"."name_zh") between 1 and 40 and char_length("consultation_services"."name_en") between 1 and 60),
	CONSTRAINT "consultation_services_slot" CHECK ("consultation_services"."slot_minutes" between 10 and 240),
	CONSTRAINT "consultation_services_buffer" CHECK ("consultation_services"."buffer_minutes" between 0 and 60),
	CONSTRAINT "consultation_services_ahead" CHECK ("consultation_services"."book_ahead_days" between 1 and 90),
	CONSTRAINT "consultation_services_deadline" CHECK ("consultation_services"."cancel_deadline_minutes" between 0 and 10080),
	CONSTRAINT "consultation_services_max" CHECK ("consultation_services"."max_upcoming" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"provider_person_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"location" text NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"status" "consultation_status" DEFAULT 'booked' NOT NULL,
	"attendance" "attendance",
	"provider_notes" text DEFAULT '' NOT NULL,
	"booked_by_account_id" integer,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultations_order" CHECK ("consultations"."ends_at" > "consultations"."starts_at"),
	CONSTRAINT "consultations_topic_len" CHECK (char_length("consultations"."topic") <= 500),
	CONSTRAINT "consultations_notes_len" CHECK (char_length("consultations"."provider_notes") <= 2000),
	CONSTRAINT "consultations_not_self" CHECK ("consultations"."person_id" <> "consultations"."provider_person_id")
);
--> statement-breakpoint
CREATE TABLE "provider_hours" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"provider_person_id" integer NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"location" text NOT NULL,
	"from_date" date NOT NULL,
	"until_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_hours_weekday" CHECK ("provider_hours"."weekday" between 1 and 7),
	CONSTRAINT "provider_hours_times" CHECK ("provider_hours"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "provider_hours"."end_time" ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and "provider_hours"."end_time" > "provider_hours"."start_time"),
	CONSTRAINT "provider_hours_dates" CHECK ("provider_hours"."until_date" is null or "provider_hours"."until_date" >= "provider_hours"."from_date"),
	CONSTRAINT "provider_hours_location_len" CHECK (char_length("provider_hours"."location") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "provider_hours_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"provider_person_id" integer NOT NULL,
	"local_date" date NOT NULL,
	"kind" "hours_change_kind" NOT NULL,
	"start_time" text,
	"end_time" text,
	"location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_hours_changes_shape" CHECK (("provider_hours_changes"."kind" = 'off' and "provider_hours_changes"."start_time" is null and "provider_hours_changes"."end_time" is null and "provider_hours_changes"."location" is null) or ("provider_hours_changes"."kind" = 'extra' and "provider_hours_changes"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "provider_hours_changes"."end_time" ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and "provider_hours_changes"."end_time" > "provider_hours_changes"."start_time" and char_length("provider_hours_changes"."location") between 1 and 100))
);
--> statement-breakpoint
ALTER TABLE "commitments" DROP CONSTRAINT "commitments_source";--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "consultation_id" integer;--> statement-breakpoint
ALTER TABLE "consultation_services" ADD CONSTRAINT "consultation_services_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_services" ADD CONSTRAINT "consultation_services_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_service_id_consultation_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."consultation_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_provider_person_id_people_id_fk" FOREIGN KEY ("provider_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_booked_by_account_id_accounts_id_fk" FOREIGN KEY ("booked_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_cancelled_by_account_id_accounts_id_fk" FOREIGN KEY ("cancelled_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours" ADD CONSTRAINT "provider_hours_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours" ADD CONSTRAINT "provider_hours_service_id_consultation_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."consultation_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours" ADD CONSTRAINT "provider_hours_provider_person_id_people_id_fk" FOREIGN KEY ("provider_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours_changes" ADD CONSTRAINT "provider_hours_changes_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours_changes" ADD CONSTRAINT "provider_hours_changes_service_id_consultation_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."consultation_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_hours_changes" ADD CONSTRAINT "provider_hours_changes_provider_person_id_people_id_fk" FOREIGN KEY ("provider_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_services_station_name" ON "consultation_services" USING btree ("station_id","name_zh") WHERE "consultation_services"."archived_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_one_per_slot" ON "consultations" USING btree ("provider_person_id","starts_at") WHERE "consultations"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "consultations_person_idx" ON "consultations" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE INDEX "consultations_service_idx" ON "consultations" USING btree ("service_id","starts_at");--> statement-breakpoint
CREATE INDEX "provider_hours_service_idx" ON "provider_hours" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "provider_hours_provider_idx" ON "provider_hours" USING btree ("provider_person_id");--> statement-breakpoint
CREATE INDEX "provider_hours_changes_day_idx" ON "provider_hours_changes" USING btree ("service_id","local_date");--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commitments_consultation_kind" ON "commitments" USING btree ("consultation_id","kind");--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_source" CHECK (("commitments"."kind" = 'attending' and "commitments"."signup_id" is not null and "commitments"."assignment_id" is null and "commitments"."consultation_id" is null) or ("commitments"."kind" = 'shift' and "commitments"."assignment_id" is not null and "commitments"."signup_id" is null and "commitments"."consultation_id" is null) or ("commitments"."kind" not in ('attending', 'shift') and "commitments"."consultation_id" is not null and "commitments"."signup_id" is null and "commitments"."assignment_id" is null));--> statement-breakpoint
-- A booked consultation holds its time twice in the ledger (ADR 15, ADR 18): for its client
-- (consultation) and for its provider (consulting), so neither can be in two places, and a
-- provider's slots of two services never overlap. Cancelled, it holds none.
CREATE FUNCTION consultation_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'booked' THEN
    INSERT INTO commitments (station_id, person_id, kind, during, consultation_id)
    VALUES (NEW.station_id, NEW.person_id, 'consultation', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id),
           (NEW.station_id, NEW.provider_person_id, 'consulting', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id)
    ON CONFLICT (consultation_id, kind) DO UPDATE SET person_id = EXCLUDED.person_id, during = EXCLUDED.during
      WHERE (commitments.person_id, commitments.during) IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.during);
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM commitments WHERE consultation_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER consultation_commitments AFTER INSERT OR UPDATE OF status, starts_at, ends_at, person_id, provider_person_id ON consultations
  FOR EACH ROW EXECUTE FUNCTION consultation_commitments();
