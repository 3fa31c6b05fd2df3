import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { consultationServices, skills } from "../db/schema";
import { auditAs } from "../audit";
import { CONSULTATION } from "../limits";
import { pgErrorOf } from "../db/errors";
import { NotAllowed, NotFound } from "../errors";
import type { Actor } from "../permissions";
import { InvalidConsultationInput, ServiceArchived } from "./errors";

/** Every consultation call is scoped to one station and authorised through the acting account. */
export interface ConsultationContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

export const CONSULTATION_KINDS = ["legal", "counselling", "family_doctor", "other"] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];

export interface ConsultationService {
  id: number;
  stationId: number;
  kind: ConsultationKind;
  nameZh: string;
  nameEn: string;
  skillId: number;
  slotMinutes: number;
  bufferMinutes: number;
  bookAheadDays: number;
  cancelDeadlineMinutes: number;
  maxUpcoming: number;
  /** How long a freed slot is held for the first on the waitlist (ADR 26). */
  holdMinutes: number;
  archived: boolean;
}

const columns = {
  id: consultationServices.id,
  stationId: consultationServices.stationId,
  kind: consultationServices.kind,
  nameZh: consultationServices.nameZh,
  nameEn: consultationServices.nameEn,
  skillId: consultationServices.skillId,
  slotMinutes: consultationServices.slotMinutes,
  bufferMinutes: consultationServices.bufferMinutes,
  bookAheadDays: consultationServices.bookAheadDays,
  cancelDeadlineMinutes: consultationServices.cancelDeadlineMinutes,
  maxUpcoming: consultationServices.maxUpcoming,
  holdMinutes: consultationServices.holdMinutes,
  archivedAt: consultationServices.archivedAt,
};

const view = ({ archivedAt, ...row }: { archivedAt: Date | null } & Omit<ConsultationService, "archived">): ConsultationService => ({
  ...row,
  archived: archivedAt !== null,
});

const text = (value: unknown, field: string, max: number) => {
  const v = typeof value === "string" ? value.trim() : "";
  if (v.length < 1 || v.length > max) throw new InvalidConsultationInput(field);
  return v;
};

const whole = (value: unknown, field: string, range: { min: number; max: number }) => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) throw new InvalidConsultationInput(field);
  return value;
};

export interface ServiceInput {
  kind: unknown;
  nameZh: unknown;
  nameEn: unknown;
  skillId: unknown;
  slotMinutes: unknown;
  bufferMinutes: unknown;
  bookAheadDays: unknown;
  cancelDeadlineMinutes: unknown;
  maxUpcoming: unknown;
  /** Left out (or null): the column's default, two hours. */
  holdMinutes?: unknown;
}

/** Admins keep the list of services (who may book what, how long a slot is). */
export async function createConsultationService(db: Db, ctx: ConsultationContext, input: ServiceInput): Promise<ConsultationService> {
  if (!ctx.actor.roles.includes("admin")) throw new NotAllowed();
  if (!CONSULTATION_KINDS.includes(input.kind as ConsultationKind)) throw new InvalidConsultationInput("kind");
  const skillId = whole(input.skillId, "skillId", { min: 1, max: 2_147_483_647 });
  const [skill] = await db
    .select({ id: skills.id })
    .from(skills)
    .where(and(eq(skills.id, skillId), eq(skills.stationId, ctx.stationId)));
  if (!skill) throw new NotFound("skill");
  const values = {
    stationId: ctx.stationId,
    kind: input.kind as ConsultationKind,
    nameZh: text(input.nameZh, "nameZh", CONSULTATION.name),
    nameEn: text(input.nameEn, "nameEn", CONSULTATION.nameEn),
    skillId,
    slotMinutes: whole(input.slotMinutes, "slotMinutes", CONSULTATION.slotMinutes),
    bufferMinutes: whole(input.bufferMinutes, "bufferMinutes", CONSULTATION.bufferMinutes),
    bookAheadDays: whole(input.bookAheadDays, "bookAheadDays", CONSULTATION.bookAheadDays),
    cancelDeadlineMinutes: whole(input.cancelDeadlineMinutes, "cancelDeadlineMinutes", CONSULTATION.cancelDeadlineMinutes),
    maxUpcoming: whole(input.maxUpcoming, "maxUpcoming", CONSULTATION.maxUpcoming),
    ...(input.holdMinutes === undefined || input.holdMinutes === null
      ? {}
      : { holdMinutes: whole(input.holdMinutes, "holdMinutes", CONSULTATION.holdMinutes) }),
  };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(consultationServices).values(values).returning(columns);
      await auditAs(tx, ctx, {
        action: "consultation_service.create",
        targetType: "consultation_service",
        targetId: row!.id,
        details: { nameZh: values.nameZh, kind: values.kind },
      });
      return view(row!);
    });
  } catch (error) {
    // A live service of that name already exists.
    if (pgErrorOf(error)?.code === "23505") throw new InvalidConsultationInput("nameZh");
    throw error;
  }
}

/** The station's live services, or every one (a person's history names removed ones too). */
export async function listConsultationServices(db: DbOrTx, stationId: number, opts: { includeArchived?: boolean } = {}) {
  const rows = await db
    .select(columns)
    .from(consultationServices)
    .where(and(eq(consultationServices.stationId, stationId), opts.includeArchived ? undefined : isNull(consultationServices.archivedAt)))
    .orderBy(asc(consultationServices.id));
  return rows.map(view);
}

/** One service of the station; NotFound for another station's id; ServiceArchived when `live` is asked for. */
export async function requireService(db: DbOrTx, stationId: number, serviceId: number, opts: { live?: boolean } = {}): Promise<ConsultationService> {
  const [row] = await db
    .select(columns)
    .from(consultationServices)
    .where(and(eq(consultationServices.id, serviceId), eq(consultationServices.stationId, stationId)));
  if (!row) throw new NotFound("consultation_service");
  const service = view(row);
  if (opts.live && service.archived) throw new ServiceArchived();
  return service;
}
