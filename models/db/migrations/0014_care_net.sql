CREATE TABLE "call_marks" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"called_at" timestamp with time zone DEFAULT now() NOT NULL,
	"called_by_account_id" integer
);
--> statement-breakpoint
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
CREATE TABLE "sign_in_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"issued_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"voided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "landline" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_called_by_account_id_accounts_id_fk" FOREIGN KEY ("called_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_caretaker_id_people_id_fk" FOREIGN KEY ("caretaker_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_consents" ADD CONSTRAINT "household_consents_withdrawn_by_people_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_codes" ADD CONSTRAINT "sign_in_codes_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_codes" ADD CONSTRAINT "sign_in_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_codes" ADD CONSTRAINT "sign_in_codes_issued_by_account_id_accounts_id_fk" FOREIGN KEY ("issued_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_marks_person_session" ON "call_marks" USING btree ("person_id","session_id");--> statement-breakpoint
CREATE INDEX "call_marks_session_idx" ON "call_marks" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "household_consents_station_idx" ON "household_consents" USING btree ("station_id");--> statement-breakpoint
CREATE UNIQUE INDEX "household_consents_active_uq" ON "household_consents" USING btree ("household_id") WHERE "household_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "household_consents_household_idx" ON "household_consents" USING btree ("household_id","given_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sign_in_codes_live" ON "sign_in_codes" USING btree ("account_id") WHERE "sign_in_codes"."used_at" is null and "sign_in_codes"."voided_at" is null;--> statement-breakpoint
CREATE INDEX "sign_in_codes_station_idx" ON "sign_in_codes" USING btree ("station_id");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_phone_unique" UNIQUE("phone");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_phone_mobile" CHECK ("accounts"."phone" ~ '^1[3-9][0-9]{9}$');--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_or_phone" CHECK ("accounts"."email" is not null or "accounts"."phone" is not null);--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_label_len" CHECK (char_length("households"."label") between 1 and 200);--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_address_len" CHECK ("households"."address" is null or char_length("households"."address") between 1 and 200);--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_landline_len" CHECK ("households"."landline" is null or char_length("households"."landline") between 1 and 20);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_phone_len" CHECK ("stations"."phone" is null or char_length("stations"."phone") between 1 and 20);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_address_len" CHECK ("stations"."address" is null or char_length("stations"."address") between 1 and 200);