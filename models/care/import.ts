import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../db";
import { accounts, householdConsents, households, people } from "../db/schema";
import { auditAs } from "../audit";
import { NotAllowed } from "../errors";
import { IMPORT, TEXT, BIRTH_YEAR_MIN } from "../limits";
import { isStaff } from "../permissions";
import { normalisePhone } from "../people";
import { normaliseMobile, parseSignInName } from "../sign-in-names";
import { decodeCsv, parseCsv, type CsvEncoding } from "../csv";
import { CONSENT_METHODS, type ConsentMethod } from "./consent";
import { consentInForce } from "./consent-sql";
import { ImportFileChanged } from "./errors";
import { householdFields, isMemberSql, memberFields, type CareContext } from "./households";

/**
 * Importing the station's lists of households and people from a CSV file (ADR 24): read and
 * check every row, show the plan, then write all of it in one transaction or nothing. The
 * import only adds: it creates households and people it does not find, and fills what an
 * existing one lacks (a landline, a caretaker, a phone, a birth year, needs, a consent); it never
 * overwrites, so the same file imported again changes nothing.
 */

/** The columns, in the template's order: the header may name each in Chinese or English. */
export const IMPORT_COLUMNS = [
  { key: "label", zh: "户名", en: "household", max: TEXT.household },
  { key: "address", zh: "地址", en: "address", max: TEXT.address },
  { key: "landline", zh: "座机", en: "landline", max: TEXT.phone },
  { key: "name", zh: "姓名", en: "name", max: TEXT.personName },
  { key: "phone", zh: "手机", en: "phone", max: TEXT.phone },
  { key: "birthYear", zh: "出生年份", en: "birth year", max: 10 },
  { key: "needs", zh: "需求", en: "needs", max: TEXT.needs },
  { key: "caretaker", zh: "联系会员", en: "caretaker", max: TEXT.email },
  { key: "consent", zh: "同意方式", en: "consent", max: 20 },
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]["key"];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ["label", "name"];
// Cells that may hold a phone number, which may start with "+" (+86 …) or "-" is no formula there.
const PHONE_COLUMNS: readonly ImportColumn[] = ["landline", "phone", "caretaker"];

/** How the consent column may say how the household agreed (the catalog's words, and the codes). */
const CONSENT_WORDS: Record<string, ConsentMethod> = {
  当面: "in_person",
  面谈: "in_person",
  电话: "phone",
  纸质: "paper",
  纸质签字: "paper",
  书面: "paper",
  "in person": "in_person",
  "by phone": "phone",
  "on paper": "paper",
  ...Object.fromEntries(CONSENT_METHODS.map((m) => [m, m])),
};

export const IMPORT_PROBLEMS = [
  // the file
  "workbook",
  "utf16",
  "encoding",
  "openQuote",
  "empty",
  "tooManyRows",
  "missingColumn",
  "unknownColumn",
  "duplicateColumn",
  // a cell
  "nul",
  "characters",
  "formula",
  "tooLong",
  "extraCells",
  // a row
  "labelMissing",
  "nameMissing",
  "phone",
  "landline",
  "birthYear",
  "consent",
  "caretakerUnknown",
  "caretakerAmbiguous",
  "caretakerDiffers",
  "consentNeedsCaretaker",
  "householdConflict",
  "householdAmbiguous",
  "duplicatePerson",
  "personAmbiguous",
  "duplicatePhone",
  "phoneTaken",
] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEMS)[number];

export interface ImportProblem {
  /** The spreadsheet's row number (the header is row 1); null for the file as a whole. */
  row: number | null;
  column: ImportColumn | null;
  code: ImportProblemCode;
  params?: Record<string, string | number>;
}

export interface ImportRowView {
  row: number;
  label: string;
  name: string;
  phone: string | null;
  birthYear: number | null;
  /** The caretaker the file names, by name once found. */
  caretaker: string | null;
  consent: ConsentMethod | null;
  household: "new" | "existing" | null;
  person: "new" | "existing" | "filled" | null;
  problems: ImportProblem[];
}

export interface ImportCounts {
  rows: number;
  householdsCreated: number;
  householdsFilled: number;
  peopleCreated: number;
  peopleFilled: number;
  consentsRecorded: number;
}

export interface ImportPlan {
  sha256: string;
  encoding: CsvEncoding | null;
  /** Problems of the file as a whole (no row is read past one of these). */
  fileProblems: ImportProblem[];
  rows: ImportRowView[];
  /** Every problem, file and rows, in row order: the import writes nothing while there is one. */
  problemCount: number;
  counts: ImportCounts;
}

export const sha256Of = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

// ---------- reading the file ----------

interface RowValues {
  row: number;
  values: Record<ImportColumn, string>;
  problems: ImportProblem[];
}

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udfff]/;

/** One cell: refused when it holds NUL, other control characters, a formula, or is too long; line breaks become spaces. */
function readCell(raw: string, column: (typeof IMPORT_COLUMNS)[number], row: number, problems: ImportProblem[]): string {
  const at = { row, column: column.key };
  if (raw.includes("\u0000")) {
    problems.push({ ...at, code: "nul" });
    return "";
  }
  // Line breaks inside a cell (Alt+Enter in Excel) become one space; other controls are refused.
  const value = raw.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (CONTROL.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) problems.push({ ...at, code: "characters" });
  else if (/^[=+\-@]/.test(value) && !(PHONE_COLUMNS.includes(column.key) && /^\+?[\d\s()-]+$/.test(value)))
    problems.push({ ...at, code: "formula" });
  if (value.length > column.max) {
    problems.push({ ...at, code: "tooLong", params: { max: column.max } });
    return "";
  }
  return value;
}

interface ReadFile {
  encoding: CsvEncoding | null;
  fileProblems: ImportProblem[];
  rows: RowValues[];
}

const headerKey = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();
const columnByHeader = new Map<string, (typeof IMPORT_COLUMNS)[number]>(
  IMPORT_COLUMNS.flatMap((c) => [
    [headerKey(c.zh), c],
    [headerKey(c.en), c],
    [headerKey(c.key), c],
  ]),
);

/** The file's rows with each cell checked; problems of the file itself stop the reading. */
export function readImportFile(bytes: Uint8Array): ReadFile {
  const file = (code: ImportProblemCode, params?: ImportProblem["params"], row: number | null = null): ReadFile => ({
    encoding: null,
    fileProblems: [{ row, column: null, code, ...(params ? { params } : {}) }],
    rows: [],
  });
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return decoded.reason === "unknown" ? file("encoding", undefined, decoded.line ?? null) : file(decoded.reason);
  // The header and IMPORT.maxRows rows, and one more to know the file has too many.
  const parsed = parseCsv(decoded.text.replace(/^\uFEFF/, ""), IMPORT.maxRows + 2);
  if (!parsed.ok) return file("openQuote", undefined, parsed.row);
  const [header, ...records] = parsed.records;
  const data = records.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (!header || data.length === 0) return file("empty");
  if (records.length > IMPORT.maxRows) return file("tooManyRows", { max: IMPORT.maxRows });

  const fileProblems: ImportProblem[] = [];
  const columns = header.cells.map((cell) => {
    const name = cell.trim();
    const column = columnByHeader.get(headerKey(cell));
    if (!column && name) fileProblems.push({ row: 1, column: null, code: "unknownColumn", params: { name: name.slice(0, 40) } });
    return column ?? null;
  });
  for (const c of IMPORT_COLUMNS) {
    const n = columns.filter((x) => x?.key === c.key).length;
    if (n > 1) fileProblems.push({ row: 1, column: c.key, code: "duplicateColumn" });
    if (n === 0 && REQUIRED_COLUMNS.includes(c.key)) fileProblems.push({ row: 1, column: c.key, code: "missingColumn" });
  }
  if (fileProblems.length) return { encoding: decoded.encoding, fileProblems, rows: [] };

  const rows = data.map((record) => {
    const problems: ImportProblem[] = [];
    const values = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, ""])) as Record<ImportColumn, string>;
    record.cells.forEach((cell, i) => {
      const column = columns[i];
      if (column) values[column.key] = readCell(cell, column, record.row, problems);
      else if (cell.trim() !== "" && !problems.some((p) => p.code === "extraCells"))
        problems.push({ row: record.row, column: null, code: "extraCells" });
    });
    return { row: record.row, values, problems };
  });
  return { encoding: decoded.encoding, fileProblems: [], rows };
}

// ---------- what the database holds ----------

interface Snapshot {
  households: { id: number; label: string; address: string | null; landline: string | null; caretakerId: number | null; consent: boolean }[];
  people: { id: number; fullName: string; phone: string | null; birthYear: number | null; needs: string | null; householdId: number | null }[];
  members: { id: number; fullName: string; phones: string[]; emails: string[] }[];
}

async function snapshot(db: DbOrTx, stationId: number): Promise<Snapshot> {
  // One after another: inside the import's transaction `db` is one connection (no parallel queries on it).
  const hs = await db
    .select({ ...householdFields, consent: consentInForce() })
    .from(households)
    .where(eq(households.stationId, stationId));
  const ps = await db.select(memberFields).from(people).where(eq(people.stationId, stationId));
  const ms = await db
    .select({
      id: people.id,
      fullName: people.fullName,
      phone: people.phone,
      email: people.email,
      accountPhone: accounts.phone,
      accountEmail: accounts.email,
    })
    .from(people)
    .leftJoin(accounts, eq(accounts.personId, people.id))
    .where(and(eq(people.stationId, stationId), isMemberSql(stationId, sql.raw(`"people"."id"`))));
  const members = new Map<number, Snapshot["members"][number]>();
  for (const m of ms) {
    const member = members.get(m.id) ?? { id: m.id, fullName: m.fullName, phones: [], emails: [] };
    for (const phone of [m.phone, m.accountPhone]) {
      const p = phoneKey(phone);
      if (p) member.phones.push(p);
    }
    for (const email of [m.email, m.accountEmail]) if (email) member.emails.push(email.trim().toLowerCase());
    members.set(m.id, member);
  }
  return { households: hs.map((h) => ({ ...h, consent: !!h.consent })), people: ps, members: [...members.values()] };
}

// ---------- the plan ----------

/** A phone as the import compares it: a mainland mobile as its eleven digits, else digits (and a leading +). */
function phoneKey(text: string | null | undefined): string | null {
  if (!text) return null;
  return normaliseMobile(text) ?? normalisePhone(text);
}

const spaces = (text: string) => text.replace(/\s+/g, " ").trim();
const householdKey = (label: string, address: string | null) => `${spaces(label)}\u0000${spaces(address ?? "")}`;
/** Two values agree when one is missing or both are equal (a row without a birth year names no other person). */
const agree = <T>(a: T | null, b: T | null) => a === null || b === null || a === b;

interface PlannedHousehold {
  key: string;
  firstRow: number;
  label: string;
  address: string | null;
  landline: string | null;
  caretakerId: number | null;
  consent: ConsentMethod | null;
  existing: Snapshot["households"][number] | null;
}

interface PlannedPerson {
  row: number;
  household: PlannedHousehold;
  fullName: string;
  phone: string | null;
  birthYear: number | null;
  needs: string | null;
  existing: Snapshot["people"][number] | null;
}

interface Plan {
  view: ImportPlan;
  households: PlannedHousehold[];
  people: PlannedPerson[];
}

function plan(file: ReadFile, db: Snapshot, sha256: string, now: Date): Plan {
  const counts: ImportCounts = {
    rows: file.rows.length,
    householdsCreated: 0,
    householdsFilled: 0,
    peopleCreated: 0,
    peopleFilled: 0,
    consentsRecorded: 0,
  };
  const rows: ImportRowView[] = [];
  const planned = new Map<string, PlannedHousehold>();
  const plannedPeople: PlannedPerson[] = [];

  const existingByKey = new Map<string, Snapshot["households"]>();
  for (const h of db.households) {
    const key = householdKey(h.label, h.address);
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), h]);
  }
  const peopleByHousehold = new Map<number, Snapshot["people"]>();
  const peopleByPhone = new Map<string, Snapshot["people"]>();
  for (const p of db.people) {
    if (p.householdId !== null) peopleByHousehold.set(p.householdId, [...(peopleByHousehold.get(p.householdId) ?? []), p]);
    const phone = phoneKey(p.phone);
    if (phone) peopleByPhone.set(phone, [...(peopleByPhone.get(phone) ?? []), p]);
  }
  const membersByPhone = new Map<string, Snapshot["members"]>();
  const membersByEmail = new Map<string, Snapshot["members"]>();
  for (const m of db.members) {
    for (const p of new Set(m.phones)) membersByPhone.set(p, [...(membersByPhone.get(p) ?? []), m]);
    for (const e of new Set(m.emails)) membersByEmail.set(e, [...(membersByEmail.get(e) ?? []), m]);
  }
  const memberName = new Map(db.members.map((m) => [m.id, m.fullName]));
  const phoneFirstSeen = new Map<string, { row: number; key: string }>();
  const thisYear = now.getUTCFullYear();

  for (const r of file.rows) {
    const v = r.values;
    const problems = [...r.problems];
    const at = (column: ImportColumn | null, code: ImportProblemCode, params?: ImportProblem["params"]) =>
      problems.push({ row: r.row, column, code, ...(params ? { params } : {}) });
    const cellOk = (column: ImportColumn) => !problems.some((p) => p.column === column);

    if (!v.label && cellOk("label")) at("label", "labelMissing");
    if (!v.name && cellOk("name")) at("name", "nameMissing");
    let phone: string | null = null;
    if (v.phone && cellOk("phone")) {
      phone = /^\+?[\d\s()（）-]+$/.test(v.phone) ? phoneKey(v.phone) : null;
      if (!phone || phone.replace(/\D/g, "").length < 5) {
        phone = null;
        at("phone", "phone");
      }
    }
    let landline: string | null = null;
    if (v.landline && cellOk("landline")) {
      landline = /^\+?[\d\s()-]+$/.test(v.landline) ? v.landline.replace(/[^\d+-]/g, "") : null;
      if (!landline || landline.replace(/\D/g, "").length < 5) {
        landline = null;
        at("landline", "landline");
      }
    }
    let birthYear: number | null = null;
    if (v.birthYear && cellOk("birthYear")) {
      const year = /^(\d{4})\s*年?$/.exec(v.birthYear);
      birthYear = year ? Number(year[1]) : null;
      if (birthYear === null || birthYear < BIRTH_YEAR_MIN || birthYear > thisYear) {
        birthYear = null;
        at("birthYear", "birthYear", { min: BIRTH_YEAR_MIN, max: thisYear });
      }
    }
    let consent: ConsentMethod | null = null;
    if (v.consent && cellOk("consent")) {
      consent = CONSENT_WORDS[v.consent.toLowerCase()] ?? null;
      if (!consent) at("consent", "consent");
    }
    let caretakerId: number | null = null;
    if (v.caretaker && cellOk("caretaker")) {
      const name = parseSignInName(v.caretaker);
      const key = name ? ("email" in name ? name.email : name.phone) : phoneKey(v.caretaker);
      const found = !key ? [] : v.caretaker.includes("@") ? (membersByEmail.get(key) ?? []) : (membersByPhone.get(key) ?? []);
      if (found.length === 1) caretakerId = found[0]!.id;
      else at("caretaker", found.length === 0 ? "caretakerUnknown" : "caretakerAmbiguous");
    }

    // The household: the rows with the same label and address are one; what they say of it must agree.
    let household: PlannedHousehold | null = null;
    if (v.label && cellOk("label") && cellOk("address")) {
      const key = householdKey(v.label, v.address || null);
      household = planned.get(key) ?? null;
      if (!household) {
        const matches = existingByKey.get(key) ?? [];
        if (matches.length > 1) at("label", "householdAmbiguous", { n: matches.length });
        else {
          household = {
            key,
            firstRow: r.row,
            label: spaces(v.label),
            address: v.address ? spaces(v.address) : null,
            landline: null,
            caretakerId: null,
            consent: null,
            existing: matches[0] ?? null,
          };
          planned.set(key, household);
        }
      }
      if (household) {
        const h = household;
        const conflict = (column: ImportColumn) => at(column, "householdConflict", { row: h.firstRow });
        if (landline) {
          if (!agree(h.landline, landline)) conflict("landline");
          else h.landline = landline;
        }
        if (caretakerId !== null) {
          if (!agree(h.caretakerId, caretakerId)) conflict("caretaker");
          else if (h.existing?.caretakerId != null && h.existing.caretakerId !== caretakerId)
            at("caretaker", "caretakerDiffers", { name: memberName.get(h.existing.caretakerId) ?? "" });
          else h.caretakerId = caretakerId;
        }
        if (consent) {
          if (!agree(h.consent, consent)) conflict("consent");
          else h.consent = consent;
        }
      }
    }

    // The person: the same name in the same household, unless their birth years or phones differ.
    let person: PlannedPerson | null = null;
    if (household && v.name && cellOk("name")) {
      const h = household;
      const twin = plannedPeople.find(
        (p) => p.household === h && p.fullName === spaces(v.name) && agree(p.birthYear, birthYear) && agree(p.phone, phone),
      );
      const candidates = (h.existing ? (peopleByHousehold.get(h.existing.id) ?? []) : []).filter(
        (p) => p.fullName === spaces(v.name) && agree(p.birthYear, birthYear) && agree(phoneKey(p.phone), phone),
      );
      if (twin) at("name", "duplicatePerson", { row: twin.row });
      else if (candidates.length > 1) at("name", "personAmbiguous", { n: candidates.length });
      else {
        person = { row: r.row, household: h, fullName: spaces(v.name), phone, birthYear, needs: v.needs || null, existing: candidates[0] ?? null };
        plannedPeople.push(person);
      }
      if (phone) {
        // A phone is shared within one household (a couple); two households with one phone are a mistake.
        const seen = phoneFirstSeen.get(phone);
        if (seen && seen.key !== h.key) at("phone", "duplicatePhone", { row: seen.row });
        else if (!seen) phoneFirstSeen.set(phone, { row: r.row, key: h.key });
        const holders = (peopleByPhone.get(phone) ?? []).filter((p) => p.id !== person?.existing?.id && p.householdId !== (h.existing?.id ?? -1));
        if (holders.length > 0) at("phone", "phoneTaken", { name: holders[0]!.fullName });
      }
    }

    rows.push({
      row: r.row,
      label: v.label,
      name: v.name,
      phone,
      birthYear,
      caretaker: caretakerId !== null ? (memberName.get(caretakerId) ?? null) : v.caretaker || null,
      consent,
      household: household ? (household.existing ? "existing" : "new") : null,
      person: person ? (person.existing ? (fillsOf(person) ? "filled" : "existing") : "new") : null,
      problems,
    });
  }

  for (const h of planned.values()) {
    if (!h.existing) counts.householdsCreated++;
    else if (householdFills(h)) counts.householdsFilled++;
    if (consentToRecord(h)) counts.consentsRecorded++;
  }
  for (const p of plannedPeople) {
    if (!p.existing) counts.peopleCreated++;
    else if (fillsOf(p)) counts.peopleFilled++;
  }
  // A consent needs someone to agree to: the file's caretaker or the one the household has.
  for (const h of planned.values()) {
    if (h.consent && (h.caretakerId ?? h.existing?.caretakerId ?? null) === null) {
      const row = rows.find((r) => r.row === h.firstRow)!;
      row.problems.push({ row: h.firstRow, column: "consent", code: "consentNeedsCaretaker" });
    }
  }
  const problemCount = file.fileProblems.length + rows.reduce((n, r) => n + r.problems.length, 0);
  return {
    view: { sha256, encoding: file.encoding, fileProblems: file.fileProblems, rows, problemCount, counts },
    households: [...planned.values()],
    people: plannedPeople,
  };
}

/** What an existing person lacks and the file gives. */
function fillsOf(p: PlannedPerson) {
  const e = p.existing;
  if (!e) return null;
  const fill = {
    phone: e.phone === null && p.phone !== null ? p.phone : null,
    birthYear: e.birthYear === null && p.birthYear !== null ? p.birthYear : null,
    needs: e.needs === null && p.needs !== null ? p.needs : null,
  };
  return fill.phone !== null || fill.birthYear !== null || fill.needs !== null ? fill : null;
}

function householdFills(h: PlannedHousehold) {
  const e = h.existing;
  if (!e) return null;
  const fill = {
    landline: e.landline === null && h.landline !== null ? h.landline : null,
    caretakerId: e.caretakerId === null && h.caretakerId !== null ? h.caretakerId : null,
  };
  return fill.landline !== null || fill.caretakerId !== null ? fill : null;
}

/** The caretaker a consent from the file goes to, when the household has none in force to them. */
function consentToRecord(h: PlannedHousehold): { method: ConsentMethod; caretakerId: number } | null {
  const caretakerId = h.existing?.caretakerId ?? h.caretakerId;
  if (!h.consent || caretakerId === null) return null;
  if (h.existing?.consent && h.existing.caretakerId === caretakerId) return null;
  return { method: h.consent, caretakerId };
}

// ---------- preview and commit ----------

function requireStaff(ctx: CareContext) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
}

/** Reads and checks a file against the station's households and people; writes nothing. */
export async function previewImport(db: Db, ctx: CareContext, bytes: Uint8Array): Promise<ImportPlan> {
  requireStaff(ctx);
  const file = readImportFile(bytes);
  const db0 = file.fileProblems.length ? { households: [], people: [], members: [] } : await snapshot(db, ctx.stationId);
  return plan(file, db0, sha256Of(bytes), ctx.now ?? new Date()).view;
}

export type CommitResult = { ok: true; counts: ImportCounts } | { ok: false; plan: ImportPlan };

// One import of a station at a time: a second waits, then sees the first one's rows and adds nothing twice.
const IMPORT_LOCK = 0x1017;
const CHUNK = 1000;

/**
 * Writes the file's plan in one transaction, or nothing: `previewed` is the SHA-256 of the file the
 * coordinator looked at, so another file (or a changed one) is refused rather than written unseen.
 * The plan is made again inside the transaction, after the station's import lock, so a problem that
 * arose since the preview (someone took a phone number) refuses the whole file too.
 */
export async function commitImport(db: Db, ctx: CareContext, bytes: Uint8Array, previewed: string): Promise<CommitResult> {
  requireStaff(ctx);
  const sha256 = sha256Of(bytes);
  if (sha256 !== previewed) throw new ImportFileChanged();
  const file = readImportFile(bytes);
  const now = ctx.now ?? new Date();
  if (file.fileProblems.length) return { ok: false, plan: plan(file, { households: [], people: [], members: [] }, sha256, now).view };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK}, ${ctx.stationId})`);
    const p = plan(file, await snapshot(tx, ctx.stationId), sha256, now);
    if (p.view.problemCount > 0) return { ok: false as const, plan: p.view };
    await write(tx, ctx, p, now);
    const c = p.view.counts;
    await auditAs(tx, ctx, {
      action: "household.import",
      targetType: "station",
      targetId: ctx.stationId,
      // Counts and the file's hash only: no label, name, phone or need.
      details: { ...c, encoding: file.encoding, sha256 },
    });
    return { ok: true as const, counts: c };
  });
}

async function write(tx: Tx, ctx: CareContext, p: Plan, now: Date) {
  const stationId = ctx.stationId;
  const ids = new Map<PlannedHousehold, number>();
  const fresh = p.households.filter((h) => !h.existing);
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const chunk = fresh.slice(i, i + CHUNK);
    const made = await tx
      .insert(households)
      .values(chunk.map((h) => ({ stationId, label: h.label, address: h.address, landline: h.landline, caretakerId: h.caretakerId })))
      .returning({ id: households.id });
    // INSERT … VALUES … RETURNING answers in the order of its VALUES.
    chunk.forEach((h, j) => ids.set(h, made[j]!.id));
  }
  for (const h of p.households) if (h.existing) ids.set(h, h.existing.id);

  const filled = p.households.flatMap((h) => {
    const fill = householdFills(h);
    return fill ? [{ id: h.existing!.id, ...fill }] : [];
  });
  for (let i = 0; i < filled.length; i += CHUNK) {
    const values = filled.slice(i, i + CHUNK).map((f) => sql`(${f.id}::int, ${f.landline}::text, ${f.caretakerId}::int)`);
    await tx.execute(sql`update ${households} h set landline = coalesce(h.landline, v.landline), caretaker_id = coalesce(h.caretaker_id, v.caretaker_id)
      from (values ${sql.join(values, sql`, `)}) as v(id, landline, caretaker_id) where h.id = v.id`);
  }

  const newPeople = p.people.filter((x) => !x.existing);
  for (let i = 0; i < newPeople.length; i += CHUNK) {
    await tx.insert(people).values(
      newPeople.slice(i, i + CHUNK).map((x) => ({
        stationId,
        fullName: x.fullName,
        phone: x.phone,
        birthYear: x.birthYear,
        needs: x.needs,
        householdId: ids.get(x.household)!,
      })),
    );
  }
  const fills = p.people.flatMap((x) => {
    const fill = fillsOf(x);
    return fill ? [{ id: x.existing!.id, ...fill }] : [];
  });
  for (let i = 0; i < fills.length; i += CHUNK) {
    const values = fills.slice(i, i + CHUNK).map((f) => sql`(${f.id}::int, ${f.phone}::text, ${f.birthYear}::smallint, ${f.needs}::text)`);
    await tx.execute(sql`update ${people} p set phone = coalesce(p.phone, v.phone), birth_year = coalesce(p.birth_year, v.birth_year),
      needs = coalesce(p.needs, v.needs) from (values ${sql.join(values, sql`, `)}) as v(id, phone, birth_year, needs) where p.id = v.id`);
  }

  const consents = p.households.flatMap((h) => {
    const c = consentToRecord(h);
    return c
      ? [{ stationId, householdId: ids.get(h)!, caretakerId: c.caretakerId, method: c.method, givenAt: now, recordedBy: ctx.actor.personId }]
      : [];
  });
  for (let i = 0; i < consents.length; i += CHUNK) await tx.insert(householdConsents).values(consents.slice(i, i + CHUNK));
}
