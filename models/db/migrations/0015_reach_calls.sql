CREATE TABLE "call_marks" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"session_id" integer NOT NULL,
	"called_at" timestamp with time zone DEFAULT now() NOT NULL,
	"called_by_account_id" integer
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_marks" ADD CONSTRAINT "call_marks_called_by_account_id_accounts_id_fk" FOREIGN KEY ("called_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_marks_person_session" ON "call_marks" USING btree ("person_id","session_id");--> statement-breakpoint
CREATE INDEX "call_marks_session_idx" ON "call_marks" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_phone_len" CHECK ("stations"."phone" is null or char_length("stations"."phone") between 1 and 20);--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_address_len" CHECK ("stations"."address" is null or char_length("stations"."address") between 1 and 200);