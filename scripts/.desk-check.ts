import { sql } from "drizzle-orm";
import { openDatabase } from "../models/db/client";
import { monthlyReport } from "../models/reports/monthly";
import { hoursExport } from "../models/rosters/hours";
const h = await openDatabase({ kind: "pglite", dataDir: "/tmp/desk-seed-new" });
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  await monthlyReport(h.db, 1, "2026-11");
  console.log("report", Math.round(performance.now() - t0), "ms");
}
let t0 = performance.now();
await hoursExport(h.db, 1, { from: "2026-11-01", to: "2026-11-30" });
console.log("hours", Math.round(performance.now() - t0));
t0 = performance.now();
await h.db.execute(sql`SELECT 1`);
console.log("floor", Math.round(performance.now() - t0));
const plan = await h.db.execute(sql`EXPLAIN ANALYZE
    WITH served AS (
      SELECT g.person_id FROM signups g JOIN sessions s ON s.id = g.session_id
      WHERE g.station_id = 1 AND g.attendance = 'attended'
        AND s.starts_at >= '2026-10-31T16:00:00Z'::timestamptz AND s.starts_at < '2026-11-30T16:00:00Z'::timestamptz
      UNION
      SELECT person_id FROM visits
      WHERE station_id = 1 AND person_id IS NOT NULL AND local_day BETWEEN '2026-11-01'::date AND '2026-11-30'::date
    )
    SELECT p.birth_year,
           NOT EXISTS (
             SELECT 1 FROM signups g JOIN sessions s ON s.id = g.session_id
             WHERE g.person_id = p.id AND g.attendance = 'attended' AND s.starts_at < '2026-10-31T16:00:00Z'::timestamptz
           ) AND NOT EXISTS (
             SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.local_day < '2026-11-01'::date
           ) AS is_new
    FROM served JOIN people p ON p.id = served.person_id AND p.station_id = 1`);
console.log(plan.rows.map((r) => Object.values(r)[0]).join("\n"));
await h.close();
