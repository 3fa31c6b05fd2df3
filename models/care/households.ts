import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "../db";
import { accounts, householdConsents, households, people, serviceGroupMembers, serviceGroups, stationRoles } from "../db/schema";
import { auditAs } from "../audit";
import { TEXT } from "../limits";
import { NotAllowed, NotFound } from "../errors";
import { isStaff, type Actor } from "../permissions";
import { CaretakerNotMember, InvalidCareInput } from "./errors";
import { consentInForce } from "./consent-sql";

/** Every call is scoped to one station and made by an acting account (staff, for the writes here). */
export interface CareContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

export interface HouseholdRow {
  id: number;
  label: string;
  address: string | null;
  landline: string | null;
  caretaker: { id: number; fullName: string } | null;
  /** The household's consent to its present caretaker is in force. */
  consent: boolean;
  peopleCount: number;
}

/** A household's own fields, its caretaker by id only. */
export const householdFields = {
  id: households.id,
  label: households.label,
  address: households.address,
  landline: households.landline,
  caretakerId: households.caretakerId,
};

/** What the care lists and the import read of each person in a household. */
export const memberFields = {
  id: people.id,
  fullName: people.fullName,
  phone: people.phone,
  birthYear: people.birthYear,
  needs: people.needs,
  householdId: people.householdId,
};

const caretakers = alias(people, "caretaker");
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The person is a member (会员) of the station: they hold its volunteer role, or belong to one
 * of its service groups (the association's roll; most members never sign in). ADR 19.
 */
export const isMemberSql = (stationId: number, personId: SQL | number) => sql<boolean>`(exists (
  select 1 from ${accounts} a join ${stationRoles} r on r.account_id = a.id
  where a.person_id = ${personId} and r.station_id = ${stationId} and r.role = 'volunteer') or exists (
  select 1 from ${serviceGroupMembers} g join ${serviceGroups} sg on sg.id = g.group_id
  where g.person_id = ${personId} and sg.station_id = ${stationId}))`;

/**
 * The household columns every list shows (the households pages, 我的联系户, the API): its own
 * fields, its caretaker through the join `selectHouseholds` makes, and its consent in force.
 */
const householdColumns = {
  id: households.id,
  label: households.label,
  address: households.address,
  landline: households.landline,
  caretakerId: caretakers.id,
  caretakerName: caretakers.fullName,
  consent: consentInForce(),
};

/** Households with their caretaker joined, `householdColumns` and any `extra` columns selected. */
export function selectHouseholds<E extends Record<string, SQL | SQL.Aliased | AnyPgColumn>>(db: DbOrTx, extra: E) {
  return db
    .select({ ...householdColumns, ...extra })
    .from(households)
    .leftJoin(caretakers, eq(caretakers.id, households.caretakerId));
}

/** The caretaker of a row `selectHouseholds` read, or null. */
export const caretakerOf = (r: { caretakerId: number | null; caretakerName: string | null }) =>
  r.caretakerId === null ? null : { id: r.caretakerId, fullName: r.caretakerName ?? "" };

const peopleCount = { peopleCount: sql<number>`(select count(*)::int from ${people} m where m.household_id = "households"."id")` };

const toRow = (r: { caretakerId: number | null; caretakerName: string | null } & Omit<HouseholdRow, "caretaker">): HouseholdRow => {
  const { caretakerId, caretakerName, ...rest } = r;
  return { ...rest, consent: !!rest.consent, caretaker: caretakerOf({ caretakerId, caretakerName }) };
};

/**
 * Households by part of their label or address, a member's name, or the start of a phone
 * (a member's or the landline). An empty query lists the first ones by label.
 */
/** `noCaretaker`: only households with nobody looking after them (无联系会员), as an erasure can leave them. */
export async function searchHouseholds(
  db: Db,
  stationId: number,
  query: string,
  limit = 50,
  options: { noCaretaker?: boolean } = {},
): Promise<HouseholdRow[]> {
  const q = query.trim().slice(0, TEXT.search);
  const digits = q.replace(/[\s-]/g, "");
  const phoneLike = /^\+?\d{3,}$/.test(digits) ? `${escapeLike(digits)}%` : null;
  const like = `%${escapeLike(q)}%`;
  const matches = q
    ? or(
        ilike(households.label, like),
        ilike(households.address, like),
        // A landline keeps its dash ("0598-8231234"); it is matched on its digits.
        phoneLike ? sql`replace(${households.landline}, '-', '') like ${phoneLike}` : undefined,
        sql`exists (select 1 from ${people} m where m.household_id = "households"."id"
          and (m.full_name ilike ${like}${phoneLike ? sql` or m.phone like ${phoneLike}` : sql``}))`,
      )
    : undefined;
  const rows = await selectHouseholds(db, peopleCount)
    .where(and(eq(households.stationId, stationId), matches, options.noCaretaker ? isNull(households.caretakerId) : undefined))
    .orderBy(asc(households.label), asc(households.id))
    .limit(limit);
  return rows.map(toRow);
}

export interface HouseholdDetail extends HouseholdRow {
  people: { id: number; fullName: string; phone: string | null; birthYear: number | null }[];
}

export async function getHousehold(db: DbOrTx, stationId: number, id: number): Promise<HouseholdDetail | undefined> {
  const [row] = await selectHouseholds(db, peopleCount).where(and(eq(households.stationId, stationId), eq(households.id, id)));
  if (!row) return undefined;
  const members = await db
    .select({ id: people.id, fullName: people.fullName, phone: people.phone, birthYear: people.birthYear })
    .from(people)
    .where(and(eq(people.stationId, stationId), eq(people.householdId, id)))
    .orderBy(asc(people.birthYear), asc(people.id));
  return { ...toRow(row), people: members };
}

export async function requireHousehold(db: DbOrTx, stationId: number, id: number): Promise<HouseholdDetail> {
  const household = await getHousehold(db, stationId, id);
  if (!household) throw new NotFound("household");
  return household;
}

function requireStaff(ctx: CareContext) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
}

const optionalText = (value: unknown, field: string, max: number): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new InvalidCareInput(field);
  const v = value.trim();
  if (v.length > max) throw new InvalidCareInput(field);
  return v || null;
};

export interface HouseholdInput {
  label: unknown;
  address?: unknown;
  landline?: unknown;
}

function householdValues(input: HouseholdInput) {
  const label = optionalText(input.label, "label", TEXT.household);
  if (!label) throw new InvalidCareInput("label");
  const landlineText = optionalText(input.landline, "landline", TEXT.phone);
  const landline = landlineText === null ? null : landlineText.replace(/[^\d+-]/g, "") || null;
  if (landlineText !== null && (!landline || !/\d{3,}/.test(landline))) throw new InvalidCareInput("landline");
  return { label, address: optionalText(input.address, "address", TEXT.address), landline };
}

/** The caretaker must be a member (volunteer) of the station; refused otherwise. */
export async function requireMember(db: DbOrTx, stationId: number, personId: number) {
  const [row] = await db
    .select({ member: isMemberSql(stationId, personId) })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)));
  if (!row?.member) throw new CaretakerNotMember();
}

export async function createHousehold(db: Db, ctx: CareContext, input: HouseholdInput & { caretakerId?: number | null }): Promise<number> {
  requireStaff(ctx);
  const values = householdValues(input);
  return db.transaction(async (tx) => {
    if (input.caretakerId) await requireMember(tx, ctx.stationId, input.caretakerId);
    const [row] = await tx
      .insert(households)
      .values({ stationId: ctx.stationId, ...values, caretakerId: input.caretakerId ?? null })
      .returning({ id: households.id });
    await audit(tx, ctx, "household.create", row!.id, { caretakerId: input.caretakerId ?? null });
    return row!.id;
  });
}

export async function updateHousehold(db: Db, ctx: CareContext, id: number, input: HouseholdInput): Promise<void> {
  requireStaff(ctx);
  const values = householdValues(input);
  await db.transaction(async (tx) => {
    const [before] = await lockHouseholds(tx, ctx.stationId, [id]);
    if (!before) throw new NotFound("household");
    await tx.update(households).set(values).where(eq(households.id, id));
    // Which fields changed, never their contents (an address is personal).
    const changed = (["label", "address", "landline"] as const).filter((f) => before[f] !== values[f]);
    await audit(tx, ctx, "household.update", id, { changed });
  });
}

/** Moves a person into another household of the station, or out of any (`householdId` null). */
export async function movePerson(db: Db, ctx: CareContext, personId: number, householdId: number | null): Promise<void> {
  requireStaff(ctx);
  await db.transaction(async (tx) => {
    const [person] = await tx
      .select({ householdId: people.householdId })
      .from(people)
      .where(and(eq(people.id, personId), eq(people.stationId, ctx.stationId)))
      .for("update");
    if (!person) throw new NotFound("person");
    if (householdId !== null && (await lockHouseholds(tx, ctx.stationId, [householdId])).length === 0) throw new NotFound("household");
    await tx.update(people).set({ householdId }).where(eq(people.id, personId));
    await auditAs(tx, ctx, {
      action: "person.move_household",
      targetType: "person",
      targetId: personId,
      details: { from: person.householdId, to: householdId },
    });
  });
}

/**
 * Gives a household another caretaker (or none). The household agreed to be looked after by a
 * named member, so a consent in force ends with the reassignment, in the same transaction: the
 * old caretaker loses access at once and the new one asks the household again (ADR 19).
 */
export async function setCaretaker(db: Db, ctx: CareContext, householdId: number, caretakerId: number | null): Promise<void> {
  requireStaff(ctx);
  await db.transaction(async (tx) => {
    const [before] = await lockHouseholds(tx, ctx.stationId, [householdId]);
    if (!before) throw new NotFound("household");
    if (caretakerId !== null) await requireMember(tx, ctx.stationId, caretakerId);
    if (before.caretakerId === caretakerId) return;
    await reassign(tx, ctx, [householdId], before.caretakerId, caretakerId);
  });
}

/** All of one member's households to another member in one transaction (a member who leaves); the number moved. */
export async function reassignAllHouseholds(db: Db, ctx: CareContext, fromPersonId: number, toPersonId: number): Promise<number> {
  requireStaff(ctx);
  if (fromPersonId === toPersonId) throw new InvalidCareInput("caretaker");
  return db.transaction(async (tx) => {
    await requireMember(tx, ctx.stationId, toPersonId);
    const rows = await tx
      .select({ id: households.id })
      .from(households)
      .where(and(eq(households.stationId, ctx.stationId), eq(households.caretakerId, fromPersonId)))
      .orderBy(asc(households.id))
      .for("update");
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) await reassign(tx, ctx, ids, fromPersonId, toPersonId);
    return ids.length;
  });
}

async function reassign(tx: Tx, ctx: CareContext, ids: number[], from: number | null, to: number | null) {
  const now = ctx.now ?? new Date();
  await tx.update(households).set({ caretakerId: to }).where(inArray(households.id, ids));
  const ended = await tx
    .update(householdConsents)
    .set({ withdrawnAt: now, withdrawnBy: ctx.actor.personId })
    .where(and(inArray(householdConsents.householdId, ids), isNull(householdConsents.withdrawnAt)))
    .returning({ householdId: householdConsents.householdId });
  const endedIds = new Set(ended.map((e) => e.householdId));
  for (const id of ids) {
    await audit(tx, ctx, "household.caretaker", id, { from, to, consentEnded: endedIds.has(id), bulk: ids.length > 1 });
  }
}

function lockHouseholds(tx: Tx, stationId: number, ids: number[]) {
  return tx
    .select(householdFields)
    .from(households)
    .where(and(eq(households.stationId, stationId), inArray(households.id, ids)))
    .for("update");
}

const audit = (tx: Tx, ctx: CareContext, action: string, householdId: number, details: Record<string, unknown>) =>
  auditAs(tx, ctx, { action, targetType: "household", targetId: householdId, details });

export interface MemberLoad {
  personId: number;
  fullName: string;
  /** Still holds the volunteer role; a caretaker who lost it keeps their households until reassigned. */
  member: boolean;
  households: number;
  people: number;
}

/**
 * Each member's load: households looked after and the people in them. Members with none are
 * listed too (someone to give households to), and caretakers who are no longer members (whose
 * households need a new caretaker). `query` narrows by name or the start of a phone number.
 */
export async function memberLoads(db: DbOrTx, stationId: number, query = "", limit = 500): Promise<MemberLoad[]> {
  const q = query.trim().slice(0, TEXT.search);
  const digits = q.replace(/[\s-]/g, "");
  const byPhone = /^\+?\d{3,}$/.test(digits) ? ilike(people.phone, `${escapeLike(digits)}%`) : undefined;
  // Qualified by hand: in a select list drizzle writes a bare "id", ambiguous inside the subqueries.
  const personId = sql.raw(`"people"."id"`);
  const member = isMemberSql(stationId, personId);
  const caring = sql`exists (select 1 from ${households} h where h.caretaker_id = ${personId} and h.station_id = ${stationId})`;
  const rows = await db
    .select({
      personId: people.id,
      fullName: people.fullName,
      member,
      households: sql<number>`(select count(*)::int from ${households} h where h.caretaker_id = ${personId} and h.station_id = ${stationId})`,
      people: sql<number>`(select count(*)::int from ${households} h join ${people} m on m.household_id = h.id
        where h.caretaker_id = ${personId} and h.station_id = ${stationId})`,
    })
    .from(people)
    .where(
      and(
        eq(people.stationId, stationId),
        isNull(people.erasedAt),
        or(member, caring),
        q ? or(ilike(people.fullName, `%${escapeLike(q)}%`), byPhone) : undefined,
      ),
    )
    .orderBy(desc(caring), asc(people.fullName), asc(people.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, member: !!r.member, households: Number(r.households), people: Number(r.people) }));
}
