import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { stations } from "../db/schema";
import { auditAs } from "../audit";
import { TEXT } from "../limits";
import { InvalidReachInput } from "./errors";
import type { Actor } from "../permissions";

export interface StationContact {
  phone: string | null;
  address: string | null;
}

/** The station's phone and address, shown beside every "不方便上网？" hint. Admins set them (the route's guard). */
export async function updateStationContact(db: Db, ctx: { stationId: number; actor: Actor }, input: StationContact): Promise<StationContact> {
  const phone = input.phone?.trim() || null;
  const address = input.address?.trim() || null;
  // The CHECKs stations_phone_len and stations_address_len hold the same bounds.
  if (phone !== null && phone.length > TEXT.phone) throw new InvalidReachInput("phone");
  if (address !== null && address.length > TEXT.address) throw new InvalidReachInput("address");
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ phone: stations.phone, address: stations.address })
      .from(stations)
      .where(eq(stations.id, ctx.stationId))
      .for("update");
    await tx.update(stations).set({ phone, address }).where(eq(stations.id, ctx.stationId));
    await auditAs(tx, ctx, {
      action: "station.contact_updated",
      targetType: "station",
      targetId: ctx.stationId,
      details: { before: before ?? null, after: { phone, address } },
    });
    return { phone, address };
  });
}
