CREATE TYPE "public"."assignment_status" AS ENUM('proposed', 'confirmed', 'declined', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."attendance" AS ENUM('attended', 'no_show', 'no_show_excused');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'sent', 'failed', 'cancelled', 'skipped');--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"need_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"during" "tstzrange" NOT NULL,
	"status" "assignment_status" NOT NULL,
	"attendance" "attendance",
	"assigned_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "availability" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	CONSTRAINT "availability_weekday" CHECK ("availability"."weekday" between 1 and 7),
	CONSTRAINT "availability_times" CHECK ("availability"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "availability"."end_time" ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and "availability"."end_time" > "availability"."start_time")
);
--> statement-breakpoint
CREATE TABLE "blackouts" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	CONSTRAINT "blackouts_order" CHECK ("blackouts"."to_date" >= "blackouts"."from_date")
);
--> statement-breakpoint
CREATE TABLE "manual_hours" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"work_date" date NOT NULL,
	"minutes" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manual_hours_minutes" CHECK ("manual_hours"."minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"person_id" integer NOT NULL,
	"signup_id" integer,
	"session_id" integer,
	"assignment_id" integer,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"recipient_person_id" integer,
	"recipient" text,
	"subject" text,
	"transport" text,
	"unsubscribe_token" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_attempts" CHECK ("notifications"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "person_skills" (
	"person_id" integer NOT NULL,
	"skill_id" integer NOT NULL,
	"specialty" text DEFAULT '' NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_skills_person_id_skill_id_pk" PRIMARY KEY("person_id","skill_id")
);
--> statement-breakpoint
CREATE TABLE "roster_needs" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"activity_id" integer,
	"session_id" integer,
	"skill_id" integer NOT NULL,
	"head_count" integer NOT NULL,
	"start_offset_minutes" integer DEFAULT 0 NOT NULL,
	"end_offset_minutes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roster_needs_owner" CHECK (("roster_needs"."activity_id" is null) <> ("roster_needs"."session_id" is null)),
	CONSTRAINT "roster_needs_head_count" CHECK ("roster_needs"."head_count" between 1 and 50),
	CONSTRAINT "roster_needs_offsets" CHECK ("roster_needs"."start_offset_minutes" between 0 and 240 and "roster_needs"."end_offset_minutes" between 0 and 240)
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"slug" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	CONSTRAINT "skills_slug_format" CHECK ("skills"."slug" ~ '^[a-z0-9-]{1,40}$')
);
--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "reminder_minutes" integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "remind_day_of" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "locale" text DEFAULT 'zh-CN' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "mail_opt_outs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "max_weekly_shift_minutes" integer;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "max_weekly_shift_minutes" integer DEFAULT 720 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_need_id_roster_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."roster_needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_assigned_by_account_id_accounts_id_fk" FOREIGN KEY ("assigned_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "availability" ADD CONSTRAINT "availability_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blackouts" ADD CONSTRAINT "blackouts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_hours" ADD CONSTRAINT "manual_hours_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_hours" ADD CONSTRAINT "manual_hours_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_hours" ADD CONSTRAINT "manual_hours_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_signup_id_signups_id_fk" FOREIGN KEY ("signup_id") REFERENCES "public"."signups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_person_id_people_id_fk" FOREIGN KEY ("recipient_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_skills" ADD CONSTRAINT "person_skills_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_skills" ADD CONSTRAINT "person_skills_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_skills" ADD CONSTRAINT "person_skills_confirmed_by_account_id_accounts_id_fk" FOREIGN KEY ("confirmed_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_needs" ADD CONSTRAINT "roster_needs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_needs" ADD CONSTRAINT "roster_needs_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_needs" ADD CONSTRAINT "roster_needs_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_needs" ADD CONSTRAINT "roster_needs_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skills" ADD CONSTRAINT "skills_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_one_active" ON "assignments" USING btree ("need_id","session_id","person_id") WHERE "assignments"."status" in ('proposed', 'confirmed');--> statement-breakpoint
CREATE INDEX "assignments_session_idx" ON "assignments" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "assignments_person_idx" ON "assignments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "availability_person_idx" ON "availability" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "blackouts_person_idx" ON "blackouts" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "manual_hours_person_idx" ON "manual_hours" USING btree ("person_id","work_date");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_unsubscribe" ON "notifications" USING btree ("unsubscribe_token");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("due_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notifications_signup_idx" ON "notifications" USING btree ("signup_id");--> statement-breakpoint
CREATE INDEX "notifications_session_idx" ON "notifications" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "notifications_station_created_idx" ON "notifications" USING btree ("station_id","created_at");--> statement-breakpoint
CREATE INDEX "person_skills_skill_idx" ON "person_skills" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "roster_needs_activity_idx" ON "roster_needs" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "roster_needs_session_idx" ON "roster_needs" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "skills_station_slug" ON "skills" USING btree ("station_id","slug");--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_reminder" CHECK ("activities"."reminder_minutes" between 0 and 10080);--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_locale" CHECK ("people"."locale" in ('zh-CN', 'en'));--> statement-breakpoint
-- Hand-written: nobody is in two places at once. The engine refuses a person's overlapping
-- active assignments, whatever races the application has.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_no_overlap" EXCLUDE USING gist ("person_id" WITH =, "during" WITH &&) WHERE ("status" in ('proposed', 'confirmed'));--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_during_bounded" CHECK (NOT isempty("during") AND NOT lower_inf("during") AND NOT upper_inf("during"));
