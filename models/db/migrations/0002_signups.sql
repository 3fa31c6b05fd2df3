CREATE TYPE "public"."signup_status" AS ENUM('confirmed', 'waitlisted', 'cancelled');--> statement-breakpoint
CREATE TABLE "signups" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"party_size" integer NOT NULL,
	"status" "signup_status" NOT NULL,
	"seq" integer NOT NULL,
	"booked_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_account_id" integer,
	CONSTRAINT "signups_party" CHECK ("signups"."party_size" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "sessions" DROP CONSTRAINT "sessions_capacity";--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "max_party_size" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "signup_opens_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "signup_closes_minutes" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "cancel_deadline_minutes" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "capacity_overridden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "taken" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "signup_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Sessions now carry their own capacity: copy the activity's where none was set.
UPDATE "sessions" SET "capacity_overridden" = ("capacity" IS NOT NULL);--> statement-breakpoint
UPDATE "sessions" SET "capacity" = "activities"."capacity" FROM "activities" WHERE "sessions"."activity_id" = "activities"."id" AND "sessions"."capacity" IS NULL;--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "capacity" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_booked_by_account_id_accounts_id_fk" FOREIGN KEY ("booked_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_cancelled_by_account_id_accounts_id_fk" FOREIGN KEY ("cancelled_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signups_one_active" ON "signups" USING btree ("session_id","person_id") WHERE "signups"."status" <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX "signups_session_seq" ON "signups" USING btree ("session_id","seq");--> statement-breakpoint
CREATE INDEX "signups_person_idx" ON "signups" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "signups_waitlist_idx" ON "signups" USING btree ("session_id","seq") WHERE "signups"."status" = 'waitlisted';--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_party" CHECK ("activities"."max_party_size" between 1 and 10);--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_signup_window" CHECK ("activities"."signup_opens_days" between 0 and 365 and "activities"."signup_closes_minutes" between 0 and 10080);--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_cancel_deadline" CHECK ("activities"."cancel_deadline_minutes" between 0 and 10080);--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_taken" CHECK ("sessions"."taken" >= 0 and "sessions"."taken" <= "sessions"."capacity");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_capacity" CHECK ("sessions"."capacity" between 0 and 10000);