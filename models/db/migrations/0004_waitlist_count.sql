ALTER TABLE "sessions" ADD COLUMN "waitlisted_parties" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Count the waitlists that already exist.
UPDATE "sessions" SET "waitlisted_parties" = w.n FROM (SELECT "session_id", count(*)::int AS n FROM "signups" WHERE "status" = 'waitlisted' GROUP BY "session_id") w WHERE w."session_id" = "sessions"."id";--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_waitlisted" CHECK ("sessions"."waitlisted_parties" >= 0);