/**
 * Whether the offset at the end of an ISO 8601 instant is one a clock can show: "Z" or ±hh:mm
 * (colon optional) within ±14:00 with minutes under 60. luxon accepts "+25:00" and "-99:99" and
 * moves the instant by days; an API caller who sent that made a mistake and should hear so (422).
 */
export function isRealUtcOffset(instant: string): boolean {
  if (instant.endsWith("Z")) return true;
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(instant);
  if (!match) return false;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  return minutes < 60 && hours * 60 + minutes <= 14 * 60;
}
