-- The public calendar page and feeds show consultations' open hours ("法律咨询 14:00–17:00 (可预约)"):
-- a change to the hours, a day's changes or a service bumps the station's calendar version like a
-- session's change does (0010), so no cached page or feed version outlives it on any instance.
CREATE TRIGGER provider_hours_calendar_version AFTER INSERT OR UPDATE OR DELETE ON provider_hours
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
--> statement-breakpoint
CREATE TRIGGER provider_hours_changes_calendar_version AFTER INSERT OR UPDATE OR DELETE ON provider_hours_changes
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
--> statement-breakpoint
CREATE TRIGGER consultation_services_calendar_version AFTER INSERT OR UPDATE OR DELETE ON consultation_services
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
