import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { createEmptyStation, getStationBySlug } from "../../models/stations";
import { listCategories } from "../../models/categories";
import { isEmpty } from "../../models/boot";

for (const backend of backends) {
  describe(`a real station's first start on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("creates the station and the six default categories, nothing else", async () => {
      expect(await isEmpty(t.handle)).toBe(true);
      const station = await createEmptyStation(t.db, "real-station");
      expect(await isEmpty(t.handle)).toBe(false);
      expect(await getStationBySlug(t.db, "real-station")).toEqual(station);
      expect(station.timeZone).toBe("Asia/Shanghai");
      const categories = await listCategories(t.db, station.id);
      expect(categories.map((c) => c.slug)).toEqual(["tai-chi", "exercise", "lecture", "clinic", "parent-child", "consultation"]);
      await expect(createEmptyStation(t.db, "real-station")).rejects.toThrow();
    });
  });
}
