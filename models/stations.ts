import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { stations } from "./db/schema";
import { NotFound } from "./errors";

export interface Station {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
}

const columns = {
  id: stations.id,
  slug: stations.slug,
  nameZh: stations.nameZh,
  nameEn: stations.nameEn,
  timeZone: stations.timeZone,
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
