import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { categories, stations } from "./db/schema";
import { DEFAULT_CATEGORIES } from "./categories";
import { NotFound } from "./errors";

export interface Station {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
  /** How to reach the station without the web (ADR 20); null until an admin sets them. */
  phone: string | null;
  address: string | null;
}

const columns = {
  id: stations.id,
  slug: stations.slug,
  nameZh: stations.nameZh,
  nameEn: stations.nameEn,
  timeZone: stations.timeZone,
  phone: stations.phone,
  address: stations.address,
};

export async function getStationBySlug(db: Db, slug: string): Promise<Station | undefined> {
  const [station] = await db.select(columns).from(stations).where(eq(stations.slug, slug));
  return station;
}

export async function requireStationBySlug(db: Db, slug: string): Promise<Station> {
  const station = await getStationBySlug(db, slug);
  if (!station) throw new NotFound("station");
  return station;
}

/**
 * A real station starts empty: the station row and the default categories, nothing else.
 * Used at start when the database has no station and the demo is not wanted.
 */
export async function createEmptyStation(db: Db, slug: string, timeZone = "Asia/Shanghai"): Promise<Station> {
  return db.transaction(async (tx) => {
    const [station] = await tx
      .insert(stations)
      .values({ slug, nameZh: "家庭健康驿站", nameEn: "Family Health Station", timeZone })
      .returning(columns);
    await tx.insert(categories).values(DEFAULT_CATEGORIES.map((c, i) => ({ ...c, stationId: station!.id, sortOrder: i })));
    return station!;
  });
}
