/**
 * The household import (ADR 24): a 10,000-row GB18030 file, as Excel on a Chinese Windows writes
 * it, into a station with the demo's scale of members (350) and an existing roll of people,
 * on PGlite and on PostgreSQL. Timed: the preview (decode, parse, check, plan; writes nothing),
 * the import (the same again inside the transaction, then every write), and the same file
 * imported again (found, nothing written). The floor, in the same run on the same connection: the
 * same households and people written by plain chunked INSERTs in one transaction — the least any
 * import of these rows can cost. Goal (issue 10): the import well within a minute.
 *
 *   npm run bench -- --only=import
 *
 * PostgreSQL is used when BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL names a server
 * (a database is made and dropped again); PGlite runs in memory.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { accounts, households, people, serviceGroupMembers, serviceGroups, stations } from "../../models/db/schema";
import { commitImport, previewImport } from "../../models/care/import";
import { csvText, gb18030, HEADER } from "../../tests/support/csv-files";
import { Random } from "../../demo/random";
import { onEachBackend, openBenchBackend, type PerBackend } from "./backend";

export const IMPORT_ROWS = 10_000;
export const IMPORT_GOAL_MS = 60_000;
const MEMBERS = 350;
const EXISTING_PEOPLE = 3_000;
const CHUNK = 1000;

export interface ImportBackendFigures {
  backend: string;
  bytes: number;
  households: number;
  people: number;
  previewMs: number;
  commitMs: number;
  againMs: number;
  floorMs: number;
  /** Rows written by the import, checked after it (households, people, consents). */
  written: { households: number; people: number; consents: number };
  /** Rows written by the second import of the same file: all zero, or the import is not idempotent. */
  writtenAgain: number;
}

export type ImportFigures = PerBackend<ImportBackendFigures>;

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
const GIVEN = "德福秀英建国淑珍桂兰玉梅文华志强海燕春生金凤明亮";
const ROADS = ["富文路", "新村路", "东霞路", "列西街", "梅岭路"];

/** The station: members in a service group (the association's roll), and people already known. */
async function seedStation(db: Db, random: Random) {
  const [station] = await db
    .insert(stations)
    .values({ slug: "bench-import", nameZh: "基准站", nameEn: "Bench", timeZone: "Asia/Shanghai" })
    .returning();
  const stationId = station!.id;
  const [group] = await db.insert(serviceGroups).values({ stationId, nameZh: "第一组", nameEn: "Group 1" }).returning({ id: serviceGroups.id });
  const members = await db
    .insert(people)
    .values(Array.from({ length: MEMBERS }, (_, i) => ({ stationId, fullName: `会员${i}`, phone: `135${String(i).padStart(8, "0")}` })))
    .returning({ id: people.id, phone: people.phone });
  await db.insert(serviceGroupMembers).values(members.map((m) => ({ groupId: group!.id, personId: m.id })));
  for (let i = 0; i < EXISTING_PEOPLE; i += CHUNK) {
    await db.insert(people).values(
      Array.from({ length: Math.min(CHUNK, EXISTING_PEOPLE - i) }, (_, j) => ({
        stationId,
        fullName: `居民${i + j}`,
        phone: `136${String(i + j).padStart(8, "0")}`,
        birthYear: random.int(1935, 1990),
      })),
    );
  }
  const [coordinator] = await db.insert(people).values({ stationId, fullName: "协调员" }).returning({ id: people.id });
  const [account] = await db
    .insert(accounts)
    .values({ email: "coordinator@bench.example", passwordHash: "-", personId: coordinator!.id })
    .returning({ id: accounts.id });
  const ctx = { stationId, actor: { accountId: account!.id, personId: coordinator!.id, roles: ["coordinator" as const] } };
  return { stationId, ctx, memberPhones: members.map((m) => m.phone!) };
}

/** 10,000 rows: households of one to four people, each with a caretaker and most with a consent. */
function importFile(random: Random, memberPhones: string[]) {
  const rows: string[][] = [[...HEADER]];
  let household = 0;
  let person = 0;
  while (rows.length <= IMPORT_ROWS) {
    const road = ROADS[household % ROADS.length]!;
    const surname = SURNAMES[household % SURNAMES.length]!;
    const address = `${road} ${Math.floor(household / 10) + 1} 号 ${(household % 10) + 1} 单元`;
    const label = `${address} ${surname}家`;
    const landline = random.int(1, 3) === 1 ? `0598-${String(8_000_000 + household).slice(0, 7)}` : "";
    const caretaker = memberPhones[household % memberPhones.length]!;
    const consent = ["当面", "电话", "纸质", ""][random.int(0, 3)]!;
    const size = Math.min(random.int(1, 4), IMPORT_ROWS + 1 - rows.length);
    for (let k = 0; k < size; k++) {
      const name = `${surname}${GIVEN[random.int(0, GIVEN.length - 1)]}${GIVEN[(person + k) % GIVEN.length]}`;
      rows.push([
        label,
        address,
        landline,
        name,
        `139${String(person).padStart(8, "0")}`,
        String(random.int(1930, 1960) + k),
        "",
        caretaker,
        consent,
      ]);
      person++;
    }
    household++;
  }
  return { bytes: gb18030(csvText(rows)), households: household, people: person };
}

async function countRows(db: Db, stationId: number) {
  const r = await db.execute<{ h: number; p: number; c: number }>(sql`select
    (select count(*)::int from households where station_id = ${stationId}) as h,
    (select count(*)::int from people where station_id = ${stationId}) as p,
    (select count(*)::int from household_consents where station_id = ${stationId}) as c`);
  const row = r.rows[0]!;
  return { households: Number(row.h), people: Number(row.p), consents: Number(row.c) };
}

/** The floor: the same households and people by plain chunked INSERTs in one transaction (then removed). */
async function floor(db: Db, stationId: number, households0: number, people0: number): Promise<number> {
  const t0 = performance.now();
  await db.transaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < households0; i += CHUNK) {
      const made = await tx
        .insert(households)
        .values(Array.from({ length: Math.min(CHUNK, households0 - i) }, (_, j) => ({ stationId, label: `地板${i + j}`, address: "地板路" })))
        .returning({ id: households.id });
      ids.push(...made.map((m) => m.id));
    }
    for (let i = 0; i < people0; i += CHUNK) {
      await tx.insert(people).values(
        Array.from({ length: Math.min(CHUNK, people0 - i) }, (_, j) => ({
          stationId,
          fullName: `地板${i + j}`,
          phone: `137${String(i + j).padStart(8, "0")}`,
          birthYear: 1950,
          householdId: ids[(i + j) % ids.length]!,
        })),
      );
    }
  });
  const ms = performance.now() - t0;
  await db.execute(sql`delete from people where station_id = ${stationId} and full_name like '地板%'`);
  await db.execute(sql`delete from households where station_id = ${stationId} and label like '地板%'`);
  return ms;
}

async function benchBackend(kind: "pglite" | "postgres", log: (m: string) => void): Promise<ImportBackendFigures> {
  const { handle, label, close } = await openBenchBackend(kind, "import", 4);
  try {
    await handle.migrate();
    const db = handle.db;
    const random = new Random(20261210);
    const { stationId, ctx, memberPhones } = await seedStation(db, random);
    const file = importFile(random, memberPhones);
    log(`${label}: ${IMPORT_ROWS} rows (${file.households} households, ${(file.bytes.length / 1024 / 1024).toFixed(2)} MiB GB18030) …`);
    // The floor first, on the same connection, so the import does not run on a warmer cache than it.
    const floorMs = await floor(db, stationId, file.households, file.people);
    let t0 = performance.now();
    const preview = await previewImport(db, ctx, file.bytes);
    const previewMs = performance.now() - t0;
    if (preview.problemCount > 0) throw new Error(`the bench's file has ${preview.problemCount} problems`);
    const before = await countRows(db, stationId);
    t0 = performance.now();
    const done = await commitImport(db, ctx, file.bytes, preview.sha256);
    const commitMs = performance.now() - t0;
    if (!done.ok) throw new Error("the import refused the bench's file");
    const after = await countRows(db, stationId);
    t0 = performance.now();
    await commitImport(db, ctx, file.bytes, preview.sha256);
    const againMs = performance.now() - t0;
    const again = await countRows(db, stationId);
    const written = {
      households: after.households - before.households,
      people: after.people - before.people,
      consents: after.consents - before.consents,
    };
    const writtenAgain = again.households - after.households + (again.people - after.people) + (again.consents - after.consents);
    log(
      `  preview ${(previewMs / 1000).toFixed(2)} s, import ${(commitMs / 1000).toFixed(2)} s, again ${(againMs / 1000).toFixed(2)} s (wrote ${writtenAgain}), floor ${(floorMs / 1000).toFixed(2)} s`,
    );
    return {
      backend: label,
      bytes: file.bytes.length,
      households: file.households,
      people: file.people,
      previewMs,
      commitMs,
      againMs,
      floorMs,
      written,
      writtenAgain,
    };
  } finally {
    await close();
  }
}

export function runCareImport(log: (m: string) => void): Promise<ImportFigures> {
  return onEachBackend((kind) => benchBackend(kind, log));
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function careImportMarkdown(f: ImportFigures, machine: string): string {
  return [
    "## Household import",
    "",
    `Measured ${f.when} on ${machine}. A ${IMPORT_ROWS.toLocaleString("en")}-row CSV in GB18030 (as Excel on a Chinese Windows saves it) into a station with`,
    `${MEMBERS} members and ${EXISTING_PEOPLE.toLocaleString("en")} people already known, through \`previewImport\` and \`commitImport\` (models/care/import.ts, ADR 24):`,
    "the preview decodes, parses, checks and plans every row against the station's households, people and members and writes nothing; the",
    "import does the same again inside its transaction (after the station's import lock), then writes every household, person and consent",
    "and one audit row; the second import of the same file finds everything and writes nothing. The floor, in the same run on the same",
    "connection: the same number of households and people by plain chunked INSERTs in one transaction. Goal (issue 10): the import well",
    `within a minute (≤ ${IMPORT_GOAL_MS / 1000} s). Load average as the part began: ${f.loadAtStart.toFixed(1)}.`,
    "",
    "| backend | file | households / people written | consents | preview | import | × floor | same file again (rows written) | floor | goal |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...f.results.map(
      (r) =>
        `| ${r.backend} | ${(r.bytes / 1024 / 1024).toFixed(2)} MiB | ${r.written.households} / ${r.written.people} | ${r.written.consents} | ${sec(r.previewMs)} | ${sec(
          r.commitMs,
        )} | ${(r.commitMs / r.floorMs).toFixed(1)}× | ${sec(r.againMs)} (${r.writtenAgain}) | ${sec(r.floorMs)} | ${r.commitMs <= IMPORT_GOAL_MS ? "met" : "**missed**"} |`,
    ),
    ...(f.errors.length ? ["", ...f.errors.map((e) => `Failed: ${e}`)] : []),
    "",
  ].join("\n");
}
