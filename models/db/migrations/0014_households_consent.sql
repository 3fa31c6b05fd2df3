CREATE TABLE "household_consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"caretaker_id" integer,
	"method" text NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" integer,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" integer,
	CONSTRAINT "household_consents_method" CHECK ("household_consents"."method" in ('in_person', 'phone', 'paper')),
	CONSTRAINT "household_consents_order" CHECK ("household_consents"."withdrawn_at" is null or "household_consents"."withdrawn_at" >= "household_consents"."given_at")
);
--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "landline" text;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_caretaker_id_people_id_fk" FOREIGN KEY ("caretaker_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_withdrawn_by_people_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "household_consents_station_idx" ON "household_consents" USING btree ("station_id");--> statement-breakpoint
CREATE UNIQUE INDEX "household_consents_active_uq" ON "household_consents" USING btree ("household_id") WHERE "household_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "household_consents_household_idx" ON "household_consents" USING btree ("household_id","given_at");--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_label_len" CHECK (char_length("households"."label") between 1 and 200);--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_address_len" CHECK ("households"."address" is null or char_length("households"."address") between 1 and 200);--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_landline_len" CHECK ("households"."landline" is null or char_length("households"."landline") between 1 and 20);