import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { serviceLines } from "../db/schema";
import { auditAs } from "../audit";
import { SERVICE_LINE_TEXT } from "../limits";
import { pgErrorOf } from "../db/errors";
import { Conflict, NotAllowed, NotFound } from "../errors";
import type { DeskContext } from "./context";
import { InvalidDeskInput } from "./errors";

export interface ServiceLine {
  id: number;
  nameZh: string;
  nameEn: string;
  reportingLine: string;
  sortOrder: number;
  archived: boolean;
}

/** The lines a new station starts with (the Fuwen station's own list). */
export const DEFAULT_SERVICE_LINES = [
  { nameZh: "测血压", nameEn: "Blood pressure", reportingLine: "健康监测" },
  { nameZh: "测血糖", nameEn: "Blood glucose", reportingLine: "健康监测" },
  { nameZh: "健康咨询", nameEn: "Health advice", reportingLine: "健康咨询" },
  { nameZh: "书画", nameEn: "Calligraphy and painting", reportingLine: "文体活动" },
  { nameZh: "阅览", nameEn: "Reading room", reportingLine: "文体活动" },
] as const;

const columns = {
  id: serviceLines.id,
  nameZh: serviceLines.nameZh,
  nameEn: serviceLines.nameEn,
  reportingLine: serviceLines.reportingLine,
  sortOrder: serviceLines.sortOrder,
  archivedAt: serviceLines.archivedAt,
};

const view = (row: { archivedAt: Date | null } & Omit<ServiceLine, "archived">): ServiceLine => ({
  id: row.id,
  nameZh: row.nameZh,
  nameEn: row.nameEn,
  reportingLine: row.reportingLine,
  sortOrder: row.sortOrder,
  archived: row.archivedAt !== null,
});

/** The tally's buttons (the live lines), or every line ever kept (reports name removed ones too). */
export async function listServiceLines(db: DbOrTx, stationId: number, opts: { includeArchived?: boolean } = {}): Promise<ServiceLine[]> {
  const rows = await db
    .select(columns)
    .from(serviceLines)
    .where(and(eq(serviceLines.stationId, stationId), opts.includeArchived ? undefined : isNull(serviceLines.archivedAt)))
    .orderBy(asc(serviceLines.sortOrder), asc(serviceLines.id));
  return rows.map(view);
}

const requireAdmin = (ctx: DeskContext) => {
  if (!ctx.actor.roles.includes("admin")) throw new NotAllowed();
};

const text = (value: unknown, field: string, max: number) => {
  const v = typeof value === "string" ? value.trim() : "";
  if (v.length < 1 || v.length > max) throw new InvalidDeskInput(field);
  return v;
};

/** Admins keep the list. Two live lines of one name are refused by the engine (partial unique index). */
export async function createServiceLine(
  db: Db,
  ctx: DeskContext,
  input: { nameZh: unknown; nameEn: unknown; reportingLine: unknown; sortOrder?: unknown },
): Promise<ServiceLine> {
  requireAdmin(ctx);
  const values = {
    stationId: ctx.stationId,
    nameZh: text(input.nameZh, "nameZh", SERVICE_LINE_TEXT.name),
    nameEn: text(input.nameEn, "nameEn", SERVICE_LINE_TEXT.nameEn),
    reportingLine: text(input.reportingLine, "reportingLine", SERVICE_LINE_TEXT.reportingLine),
    sortOrder: typeof input.sortOrder === "number" && Number.isInteger(input.sortOrder) ? input.sortOrder : 100,
  };
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(serviceLines).values(values).returning(columns);
      await auditAs(tx, ctx, {
        action: "service_line.create",
        targetType: "service_line",
        targetId: row!.id,
        details: { nameZh: values.nameZh, reportingLine: values.reportingLine },
      });
      return view(row!);
    });
  } catch (error) {
    if (pgErrorOf(error)?.code === "23505") throw new Conflict("service_line_exists");
    throw error;
  }
}

/** Removing a line archives it: its past visits stay in the reports, and new taps are refused. */
export async function archiveServiceLine(db: Db, ctx: DeskContext, id: number): Promise<void> {
  requireAdmin(ctx);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(serviceLines)
      .set({ archivedAt: ctx.now ?? new Date() })
      .where(and(eq(serviceLines.id, id), eq(serviceLines.stationId, ctx.stationId), isNull(serviceLines.archivedAt)))
      .returning({ id: serviceLines.id });
    if (!row) throw new NotFound("service_line");
    await auditAs(tx, ctx, {
      action: "service_line.archive",
      targetType: "service_line",
      targetId: id,
    });
  });
}

/** Seeds a station's lines (demo, tests); returns their ids in the order given. */
export async function insertServiceLines(
  db: DbOrTx,
  stationId: number,
  lines: readonly { nameZh: string; nameEn: string; reportingLine: string }[] = DEFAULT_SERVICE_LINES,
): Promise<number[]> {
  const rows = await db
    .insert(serviceLines)
    .values(lines.map((l, i) => ({ ...l, stationId, sortOrder: (i + 1) * 10 })))
    .returning({ id: serviceLines.id });
  return rows.map((r) => r.id);
}
