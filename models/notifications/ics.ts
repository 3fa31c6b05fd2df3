import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import type { IcalPart } from "./render";

export interface Invite {
  method: "REQUEST" | "CANCEL";
  /** `signup-<id>@<domain>`: every mail about one signup updates the same calendar entry. */
  uid: string;
  /** Must rise above the last REQUEST's for a calendar to take an update or a CANCEL. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  title: string;
  location: string | null;
  url: string;
  stamp: Date;
  /** The station's sending address; calendars want an ORGANIZER to accept an iTIP message. */
  organizer: { name: string; email: string };
  /** Only the recipient's address: nobody else's data goes into the invitation. */
  attendeeEmail: string;
}

/** One VEVENT as an iTIP message (RFC 5546), for nodemailer's icalEvent (a text/calendar part). */
export function buildInvite(invite: Invite): IcalPart {
  const calendar = ical({
    method: invite.method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    prodId: { company: "Hearth", product: "Hearth", language: "ZH" },
    // Without the generator, ical-generator writes a TZID with no VTIMEZONE (invalid).
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  calendar.createEvent({
    id: invite.uid,
    sequence: invite.sequence,
    stamp: invite.stamp,
    // Zoned luxon DateTimes: a plain Date with a TZID is written in the process's zone.
    start: DateTime.fromJSDate(invite.startsAt, { zone: invite.timeZone }),
    end: DateTime.fromJSDate(invite.endsAt, { zone: invite.timeZone }),
    timezone: invite.timeZone,
    summary: invite.title,
    location: invite.location || null,
    url: invite.url,
    description: invite.url,
    status: invite.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: invite.organizer,
    attendees: [{ email: invite.attendeeEmail, rsvp: false }],
  });
  return { method: invite.method, content: calendar.toString() };
}
