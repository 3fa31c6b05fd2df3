CREATE TYPE "public"."consultation_waitlist_status" AS ENUM('waiting', 'offered', 'booked', 'left', 'lapsed');--> statement-breakpoint
ALTER TYPE "public"."consultation_status" ADD VALUE 'held';--> statement-breakpoint
ALTER TYPE "public"."consultation_status" ADD VALUE 'passed';--> statement-breakpoint
CREATE TABLE "consultation_waitlist" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"provider_person_id" integer,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"status" "consultation_waitlist_status" DEFAULT 'waiting' NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "consultation_waitlist_range" CHECK ("consultation_waitlist"."to_date" >= "consultation_waitlist"."from_date")
);
--> statement-breakpoint
DROP INDEX "consultations_one_per_slot";--> statement-breakpoint
ALTER TABLE "consultation_services" ADD COLUMN "hold_minutes" smallint DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "held_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "waitlist_entry_id" integer;--> statement-breakpoint
ALTER TABLE "consultation_waitlist" ADD CONSTRAINT "consultation_waitlist_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_waitlist" ADD CONSTRAINT "consultation_waitlist_service_id_consultation_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."consultation_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_waitlist" ADD CONSTRAINT "consultation_waitlist_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_waitlist" ADD CONSTRAINT "consultation_waitlist_provider_person_id_people_id_fk" FOREIGN KEY ("provider_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_waitlist" ADD CONSTRAINT "consultation_waitlist_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_waitlist_one_active" ON "consultation_waitlist" USING btree ("person_id","service_id") WHERE "consultation_waitlist"."status" in ('waiting', 'offered');--> statement-breakpoint
CREATE INDEX "consultation_waitlist_line_idx" ON "consultation_waitlist" USING btree ("service_id","status","created_at");--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_waitlist_entry_id_consultation_waitlist_id_fk" FOREIGN KEY ("waitlist_entry_id") REFERENCES "public"."consultation_waitlist"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_one_per_slot" ON "consultations" USING btree ("provider_person_id","starts_at") WHERE "consultations"."status" = 'booked' or "consultations"."held_until" is not null;--> statement-breakpoint
ALTER TABLE "consultation_services" ADD CONSTRAINT "consultation_services_hold" CHECK ("consultation_services"."hold_minutes" between 15 and 1440);--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_hold" CHECK (("consultations"."status"::text = 'held') = ("consultations"."held_until" is not null and "consultations"."waitlist_entry_id" is not null));