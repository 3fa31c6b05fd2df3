// Three independent iCalendar parsers (ical.js, node-ical, Python's icalendar) reading a feed
// back into the same plain shape, so a feed only one of them accepts cannot pass a test.
import { spawnSync } from "node:child_process";
import ICAL from "ical.js";
import nodeIcal from "node-ical";

export interface Parsed {
  uid: string;
  /** UTC, ISO without milliseconds: the instant, whatever zone the feed wrote it in. */
  start: string;
  end: string;
  sequence: number;
  /** "CONFIRMED", "TENTATIVE", "CANCELLED", or "undefined"/"None" when absent. */
  status: string;
  summary: string;
  description: string;
}

export const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function withIcalJs(feed: string): Parsed[] {
  // ical.js keeps one global registry of zones: start each read from a clean one.
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(feed));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  return calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      start: iso(event.startDate.toJSDate()),
      end: iso(event.endDate.toJSDate()),
      sequence: event.sequence,
      status: String(component.getFirstPropertyValue("status")),
      summary: event.summary,
      description: event.description,
    };
  });
}

// node-ical gives a string, or { val, params } when the property had parameters; absent is "undefined".
const textOf = (value: unknown) => (typeof value === "string" || value === undefined ? String(value) : String((value as { val: string }).val));

export function withNodeIcal(feed: string): Parsed[] {
  return Object.values(nodeIcal.sync.parseICS(feed))
    .filter((c): c is nodeIcal.VEvent => c?.type === "VEVENT")
    .map((e) => ({
      uid: e.uid,
      start: iso(e.start),
      end: e.end ? iso(e.end) : "none",
      sequence: Number(e.sequence),
      status: String(e.status),
      summary: textOf(e.summary),
      description: textOf(e.description),
    }));
}

const PYTHON = "/usr/bin/python3";
const PYTHON_SCRIPT = `
import sys, json, datetime
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
def utc(ev, name):
    value = ev.decoded(name)
    if value.tzinfo is None:
        raise SystemExit("naive " + name + " for " + str(ev.get("UID")))
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
out = []
for ev in cal.walk("VEVENT"):
    out.append({
        "uid": str(ev.get("UID")),
        "start": utc(ev, "DTSTART"),
        "end": utc(ev, "DTEND"),
        "sequence": int(ev.get("SEQUENCE", 0)),
        "status": str(ev.get("STATUS")),
        "summary": str(ev.get("SUMMARY")),
        "description": str(ev.get("DESCRIPTION")),
    })
print(json.dumps(out, ensure_ascii=False))
`;

/** Debian's python3-icalendar imports only under /usr/bin/python3. */
export const pythonIcalendar = spawnSync(PYTHON, ["-c", "import icalendar"]).status === 0;

export function withPython(feed: string): Parsed[] {
  const run = spawnSync(PYTHON, ["-c", PYTHON_SCRIPT], { input: feed, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python icalendar failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Parsed[];
}

/** The feed read by every parser this machine has, each result keyed by UID. */
export function parseAll(feed: string): Array<{ parser: string; events: Record<string, Parsed> }> {
  const runs: Array<[string, (feed: string) => Parsed[]]> = [
    ["ical.js", withIcalJs],
    ["node-ical", withNodeIcal],
    ...(pythonIcalendar ? [["python icalendar", withPython] as [string, (feed: string) => Parsed[]]] : []),
  ];
  return runs.map(([parser, parse]) => ({ parser, events: Object.fromEntries(parse(feed).map((e) => [e.uid, e])) }));
}

/** In CI the Python parser is required; elsewhere its absence is reported as a skip. */
export function skipWithoutPython(context: { skip: (note: string) => void }) {
  if (pythonIcalendar) return;
  if (process.env.CI === "true") throw new Error("python3-icalendar is not installed (CI=true): .ci/run should have installed it");
  context.skip("Python part skipped: /usr/bin/python3 cannot import icalendar (apt-get install python3-icalendar)");
}

/**
 * The RFC 5545 points a subscribed feed must get right, checked on the text: calendar
 * properties ahead of the components, the refresh hints, a VTIMEZONE for every TZID used
 * (and none unused), DTSTAMP and LAST-MODIFIED in UTC on every event.
 */
export function structureProblems(feed: string): string[] {
  const problems: string[] = [];
  const lines = feed.split("\r\n");
  if (!feed.endsWith("END:VCALENDAR")) problems.push("does not end with END:VCALENDAR");
  const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith("BEGIN:"));
  for (const property of ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]) {
    const at = lines.indexOf(property);
    if (at < 0) problems.push(`no ${property}`);
    else if (firstComponent >= 0 && at > firstComponent) problems.push(`${property} after a component`);
  }
  const defined = new Set(lines.filter((l, i) => l.startsWith("TZID:") && lines[i - 1] === "BEGIN:VTIMEZONE").map((l) => l.slice(5)));
  const used = new Set([...feed.matchAll(/;TZID=([^:;]+)[:;]/g)].map((m) => m[1]!));
  for (const zone of used) if (!defined.has(zone)) problems.push(`TZID ${zone} has no VTIMEZONE`);
  for (const zone of defined) if (!used.has(zone)) problems.push(`VTIMEZONE ${zone} is not used`);
  const events = feed.split("BEGIN:VEVENT\r\n").slice(1);
  for (const event of events) {
    if (!/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/.test(`\r\n${event}`)) problems.push("an event without a UTC DTSTAMP");
    if (!/\r\nLAST-MODIFIED:\d{8}T\d{6}Z\r\n/.test(event)) problems.push("an event without a UTC LAST-MODIFIED");
  }
  for (const line of lines) if (Buffer.byteLength(line) > 75) problems.push(`a line longer than 75 octets: ${line.slice(0, 20)}`);
  return problems;
}
