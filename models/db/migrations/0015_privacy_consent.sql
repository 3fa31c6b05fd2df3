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
ALTER TABLE "household_consents" ADD COLUMN "text_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_consents" ADD CONSTRAINT "person_consents_withdrawn_by_people_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_viewer_account_id_accounts_id_fk" FOREIGN KEY ("viewer_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensitive_views" ADD CONSTRAINT "sensitive_views_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_consents_station_idx" ON "person_consents" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "person_consents_person_idx" ON "person_consents" USING btree ("person_id","given_at");--> statement-breakpoint
CREATE UNIQUE INDEX "person_consents_active_uq" ON "person_consents" USING btree ("person_id","purpose") WHERE "person_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "sensitive_views_person_idx" ON "sensitive_views" USING btree ("person_id","at");--> statement-breakpoint
CREATE INDEX "sensitive_views_station_at_idx" ON "sensitive_views" USING btree ("station_id","at");