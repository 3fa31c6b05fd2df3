import { and, asc, eq } from "drizzle-orm";
import type { Db } from "./db";
import { categories } from "./db/schema";
import { isUniqueViolation } from "./db/errors";
import { Conflict } from "./errors";
import { recordAudit } from "./audit";

export interface Category {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  color: string;
}

export const DEFAULT_CATEGORIES: ReadonlyArray<Omit<Category, "id">> = [
  { slug: "tai-chi", nameZh: "太极拳", nameEn: "Tai chi", color: "#9a3412" },
  { slug: "exercise", nameZh: "健身操", nameEn: "Exercise class", color: "#166534" },
  { slug: "lecture", nameZh: "健康讲座", nameEn: "Health lecture", color: "#1e40af" },
  { slug: "clinic", nameZh: "义诊", nameEn: "Free clinic", color: "#b91c1c" },
  { slug: "parent-child", nameZh: "亲子活动", nameEn: "Parent-child event", color: "#7e22ce" },
  { slug: "consultation", nameZh: "咨询", nameEn: "Consultation", color: "#0f766e" },
];

const columns = {
  id: categories.id,
  slug: categories.slug,
  nameZh: categories.nameZh,
  nameEn: categories.nameEn,
  color: categories.color,
};

export async function listCategories(db: Db, stationId: number): Promise<Category[]> {
  return db.select(columns).from(categories).where(eq(categories.stationId, stationId)).orderBy(asc(categories.sortOrder), asc(categories.id));
}

export async function getCategory(db: Db, stationId: number, id: number): Promise<Category | undefined> {
  const [category] = await db
    .select(columns)
    .from(categories)
    .where(and(eq(categories.stationId, stationId), eq(categories.id, id)));
  return category;
}

export async function createCategory(db: Db, ctx: { stationId: number; actorAccountId: number }, input: Omit<Category, "id">): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(categories)
        .values({ ...input, stationId: ctx.stationId })
        .returning({ id: categories.id });
      await recordAudit(tx, {
        stationId: ctx.stationId,
        actorAccountId: ctx.actorAccountId,
        action: "category.create",
        targetType: "category",
        targetId: row!.id,
        details: { slug: input.slug },
      });
      return row!.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict("category_slug_taken");
    throw error;
  }
}
