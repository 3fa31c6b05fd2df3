import { recordAudit } from "#models/audit";
import { EXPORT_SECTIONS, personalData, type ExportSection, type PersonalData } from "#models/privacy/export";
import { purposeText } from "#models/privacy/purposes";
import { isMessageKey, type MessageKey } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { toCsv } from "./csv.server";
import { isoIn } from "./api.server";
import { recordSensitiveViews, viewOf } from "./sensitive-views.server";

/** One section of 我的数据: its heading, column names and rows in plain words; the page and the CSV share it. */
export interface DataSection {
  key: ExportSection;
  title: string;
  columns: string[];
  rows: string[][];
}

export type Audience = "self" | "desk";

/**
 * Everything held about `personId`: for the person themself, or for staff producing it at the
 * desk — then without consultation topics, audited as a request, and the needs shown are an
 * access record like any other staff view of them (ADR 22).
 */
export async function loadPersonalData(ctx: AuthorisedContext, personId: number, audience: Audience, format: "page" | "json" | "csv" | "api") {
  const data = await personalData(ctx.db, ctx.station.id, personId, { locale: ctx.locale, withTopics: audience === "self" });
  if (audience === "desk") {
    await ctx.db.transaction(async (tx) => {
      await recordAudit(tx, {
        stationId: ctx.station.id,
        actorAccountId: ctx.viewer.accountId,
        action: "person.data_export",
        targetType: "person",
        targetId: personId,
        details: { format },
      });
      if (data.person.needs) await recordSensitiveViews(tx, viewOf(ctx, "person_data", "needs"), [personId]);
    });
  }
  return data;
}

/** Dates as ISO 8601 with the station's offset, as the rest of the API writes them; the rest as it is. */
function isoDates(value: unknown, iso: (d: Date) => string): unknown {
  if (value instanceof Date) return iso(value);
  if (Array.isArray(value)) return value.map((v) => isoDates(v, iso));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoDates(v, iso)]));
  return value;
}

/** The export as JSON: the same fields for the download and the API (PersonalDataExport). */
export const personalDataJson = (ctx: AuthorisedContext, data: PersonalData) => isoDates({ version: 1, ...data }, isoIn(ctx.station.timeZone));

export function dataSections(ctx: AuthorisedContext, data: PersonalData): DataSection[] {
  const t = ctx.t;
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const at = (d: Date | null) => (d ? `${fmt.dayLong(d)} ${fmt.time(d)}` : "");
  const word = (prefix: string, value: string | null) => {
    if (value === null) return "";
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(key) : value;
  };
  const num = (n: number | null) => (n === null ? "" : String(n));
  const p = data.person;
  const sections: Record<ExportSection, Omit<DataSection, "key" | "title">> = {
    person: {
      columns: [
        t("data.col.name"),
        t("data.col.phone"),
        t("data.col.email"),
        t("data.col.birthYear"),
        t("data.col.needs"),
        t("data.col.mailLanguage"),
        t("data.col.registeredAt"),
      ],
      rows: [[p.fullName, p.phone ?? "", p.email ?? "", num(p.birthYear), p.needs ?? "", word("data.locale", p.mailLanguage), at(p.registeredAt)]],
    },
    account: {
      columns: [t("data.col.signInPhone"), t("data.col.signInEmail"), t("data.col.roles"), t("data.col.createdAt")],
      rows: data.account
        ? [
            [
              data.account.phone ?? "",
              data.account.email ?? "",
              data.account.roles.map((r) => word("role", r)).join(t("summary.listSeparator")),
              at(data.account.createdAt),
            ],
          ]
        : [],
    },
    household: {
      columns: [t("data.col.household"), t("data.col.address"), t("data.col.landline"), t("data.col.caretaker")],
      rows: data.household
        ? [[data.household.label, data.household.address ?? "", data.household.landline ?? "", data.household.caretaker ?? ""]]
        : [],
    },
    bookings: {
      columns: [
        t("data.col.activity"),
        t("data.col.when"),
        t("data.col.status"),
        t("data.col.party"),
        t("data.col.bookedBy"),
        t("data.col.bookedAt"),
        t("data.col.cancelledAt"),
        t("data.col.attendance"),
      ],
      rows: data.bookings.map((b) => [
        b.activity,
        at(b.startsAt),
        word("data.status", b.status),
        String(b.partySize),
        b.bookedBy ?? "",
        at(b.bookedAt),
        at(b.cancelledAt),
        b.attendance ? `${word("data.attendance", b.attendance)}${b.attendedCount ? ` (${b.attendedCount})` : ""}` : "",
      ]),
    },
    shifts: {
      columns: [t("data.col.activity"), t("data.col.role"), t("data.col.when"), t("data.col.status"), t("data.col.attendance")],
      rows: data.shifts.map((s) => [s.activity, s.role, at(s.startsAt), word("data.status", s.status), word("data.attendance", s.attendance)]),
    },
    hours: {
      columns: [t("data.col.date"), t("data.col.minutes"), t("data.col.note")],
      rows: data.hours.map((h) => [fmt.dayOfDate(h.date), String(h.minutes), h.note]),
    },
    consultations: {
      columns: [
        t("data.col.service"),
        t("data.col.provider"),
        t("data.col.when"),
        t("data.col.location"),
        t("data.col.status"),
        t("data.col.attendance"),
        t("data.col.topic"),
      ],
      rows: data.consultations.map((c) => [
        c.service,
        c.provider,
        at(c.startsAt),
        c.location,
        word("data.status", c.status),
        word("data.attendance", c.attendance),
        c.topic ?? t("data.topicHidden"),
      ]),
    },
    mails: {
      columns: [t("data.col.subject"), t("data.col.sentAt")],
      rows: data.mails.map((m) => [m.subject ?? "", at(m.sentAt)]),
    },
    consents: {
      columns: [
        t("data.col.purpose"),
        t("data.col.text"),
        t("data.col.version"),
        t("data.col.way"),
        t("data.col.givenAt"),
        t("data.col.recordedBy"),
        t("data.col.withdrawnAt"),
        t("data.col.withdrawnBy"),
      ],
      rows: data.consents.map((c) => [
        word("consent.purpose", c.purpose),
        purposeText(c.purpose, c.version, ctx.locale),
        String(c.version),
        word("consent.way", c.way),
        at(c.givenAt),
        c.recordedBy ?? "",
        at(c.withdrawnAt),
        c.withdrawnBy ?? "",
      ]),
    },
    audit: {
      columns: [t("data.col.at"), t("data.col.who"), t("data.col.what")],
      rows: data.audit.map((a) => [at(a.at), a.by ?? t("data.system"), word("data.action", a.action.replace(".", "_"))]),
    },
    accessRecords: {
      columns: [t("data.col.at"), t("data.col.who"), t("data.col.what"), t("data.col.where")],
      rows: data.accessRecords.map((r) => [at(r.at), r.viewer ?? t("data.system"), word("data.kind", r.kind), word("data.page", r.page)]),
    },
  };
  return EXPORT_SECTIONS.map((key) => ({ key, title: t(`data.section.${key}` as MessageKey), ...sections[key] }));
}

/**
 * The CSV bundle: one file, each section under its own heading row with its column names, a
 * blank line between sections (opens in any spreadsheet or text viewer, phones included);
 * `section` gives one section alone, for a program that reads one table (ADR 22).
 */
export function personalDataCsv(sections: DataSection[], section?: string | null): string {
  const one = sections.find((s) => s.key === section);
  if (one) return toCsv([one.columns, ...one.rows]);
  return toCsv(sections.flatMap((s) => [[`# ${s.title}`], s.columns, ...s.rows, []]));
}

export function download(body: string, type: "json" | "csv", name: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": type === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.${type}"`,
      // Personal data: no shared cache may keep a copy.
      "Cache-Control": "no-store",
    },
  });
}
