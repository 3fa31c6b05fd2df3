// The household import (ADR 24): GB18030 and UTF-8-with-BOM files as Excel writes them, a
// preview that names every problem with its row, all rows in one transaction or none, and the
// same file imported twice changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { csvText, gb18030, HEADER, utf8Bom } from "../support/csv-files";
import { auditLog, householdConsents, households, people } from "../../models/db/schema";
import { commitImport, previewImport, sha256Of, type ImportPlan, type ImportProblemCode } from "../../models/care/import";
import { createHousehold } from "../../models/care/households";
import { decodeCsv, parseCsv } from "../../models/csv";
import { DomainError, NotAllowed } from "../../models/errors";
import type { Db } from "../../models/db";
import { IMPORT, IMPORT_BODY_BYTES, MAX_BODY_BYTES } from "../../models/limits";
import { bodyLimitFor } from "../../server/body-limit";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import * as importPage from "../../app/routes/manage.households_.import/route";
import * as importTemplate from "../../app/routes/manage.households_.import[.]csv";
import type { Actor } from "../../models/permissions";

const TABLES = ["households", "people", "household_consents", "audit_log"] as const;

async function counts(db: Db) {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    out[table] = Number(rows.rows[0]!.n);
  }
  return out;
}

/** Each problem of a preview as "row:code". */
const problemsOf = (plan: ImportPlan) => [
  ...plan.fileProblems.map((p) => `${p.row ?? "-"}:${p.code}`),
  ...plan.rows.flatMap((r) => r.problems.map((p) => `${p.row}:${p.code}`)),
];

describe("reading CSV", () => {
  it("decodes GB18030 (two- and four-byte), UTF-8 with and without BOM, and refuses the rest", () => {
    expect([...gb18030("王")]).toEqual([0xcd, 0xf5]); // GBK's 王, as Excel writes it
    expect(decodeCsv(gb18030("户名,姓名\r\n王家,王德福\r\n"))).toEqual({ ok: true, text: "户名,姓名\r\n王家,王德福\r\n", encoding: "gb18030" });
    // A four-byte GB18030 sequence (U+20000 𠀀 is 0x95 0x32 0x82 0x36): Node's ICU decodes it.
    expect(decodeCsv(new Uint8Array([0x95, 0x32, 0x82, 0x36]))).toMatchObject({ ok: true, text: "𠀀" });
    expect(decodeCsv(utf8Bom("a,b"))).toEqual({ ok: true, text: "a,b", encoding: "utf-8" });
    expect(decodeCsv(new TextEncoder().encode("王,b"))).toMatchObject({ ok: true, encoding: "utf-8" });
    expect(decodeCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toEqual({ ok: false, reason: "workbook" });
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, 0x37, 0x62]))).toEqual({ ok: false, reason: "utf16" });
    // 0xFF is no lead byte in either encoding: refused on the line it is on.
    expect(decodeCsv(new Uint8Array([0x61, 0x0a, 0x62, 0x0a, 0x63, 0xff, 0x0a]))).toEqual({ ok: false, reason: "unknown", line: 3 });
  });

  it("parses quotes, doubled quotes, line breaks in cells and CR/LF/CRLF; an open quote is refused with its row", () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"x\ny",z\rlast')).toEqual({
      ok: true,
      records: [
        { row: 1, cells: ["a", "b,c", 'say "hi"'] },
        { row: 2, cells: ["x\ny", "z"] },
        { row: 3, cells: ["last"] },
      ],
    });
    expect(parseCsv('a\r\nb\r\n"c,d\r\ne')).toEqual({ ok: false, row: 3 });
  });
});

for (const backend of backends) {
  describe(`household import on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let member: Actor & { token: string };
    let otherMember: Actor;
    const ctx = () => ({ stationId, actor: coordinator });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      member = await makeActor(t.db, stationId, ["volunteer"], "林会员");
      otherMember = await makeActor(t.db, stationId, ["volunteer"], "周会员");
      await t.db.update(people).set({ phone: "13911112222" }).where(eq(people.id, member.personId));
      await t.db.update(people).set({ phone: "13933334444" }).where(eq(people.id, otherMember.personId));
    });

    const good = csvText([
      [...HEADER],
      ["富文路 12 号 王家", "富文路 12 号 3 单元", "0598-8231234", "王德福", "139 0000 1111", "1948", "助听器", "13911112222", "当面"],
      // A couple sharing one phone: allowed within a household.
      ["富文路 12 号 王家", "富文路 12 号 3 单元", "", "李秀英", "13900001111", "1950年", "", "", ""],
      ["富文路 14 号 陈家", "富文路 14 号", "", "陈阿婆", "", "1939", "轮椅", "member-lin@example.invalid", "纸质"],
      // Two people of one name in different households are two people.
      ["富文路 16 号 王家", "", "", "王德福", "13700002222", "1960", "", "", ""],
      ["", "", "", "", "", "", "", "", ""],
    ]);

    it("imports a GB18030 file in one transaction, audited with counts only; the same rows in UTF-8 with BOM change nothing", async () => {
      await t.db.update(people).set({ email: "member-lin@example.invalid" }).where(eq(people.id, member.personId));
      const bytes = gb18030(good);
      const before = await counts(t.db);
      const preview = await previewImport(t.db, ctx(), bytes);
      expect(problemsOf(preview)).toEqual([]);
      expect(preview.encoding).toBe("gb18030");
      expect(preview.counts).toEqual({ rows: 4, householdsCreated: 3, householdsFilled: 0, peopleCreated: 4, peopleFilled: 0, consentsRecorded: 2 });
      expect(preview.rows.map((r) => [r.row, r.household, r.person, r.caretaker])).toEqual([
        [2, "new", "new", "林会员"],
        [3, "new", "new", null],
        [4, "new", "new", "林会员"],
        [5, "new", "new", null],
      ]);
      // The preview wrote nothing.
      expect(await counts(t.db)).toEqual(before);

      const done = await commitImport(t.db, ctx(), bytes, preview.sha256);
      expect(done).toEqual({ ok: true, counts: preview.counts });
      const after = await counts(t.db);
      expect(after).toEqual({
        households: before.households! + 3,
        people: before.people! + 4,
        household_consents: before.household_consents! + 2,
        audit_log: before.audit_log! + 1,
      });
      const [wang] = await t.db.select().from(households).where(eq(households.label, "富文路 12 号 王家"));
      expect(wang).toMatchObject({ address: "富文路 12 号 3 单元", landline: "0598-8231234", caretakerId: member.personId });
      const wangs = await t.db.select().from(people).where(eq(people.householdId, wang!.id)).orderBy(people.id);
      expect(wangs.map((p) => [p.fullName, p.phone, p.birthYear, p.needs])).toEqual([
        ["王德福", "13900001111", 1948, "助听器"],
        ["李秀英", "13900001111", 1950, null],
      ]);
      const [consent] = await t.db.select().from(householdConsents).where(eq(householdConsents.householdId, wang!.id));
      expect(consent).toMatchObject({ method: "in_person", caretakerId: member.personId, recordedBy: coordinator.personId, withdrawnAt: null });
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "household.import"), eq(auditLog.stationId, stationId)));
      expect(audit).toMatchObject({ actorAccountId: coordinator.accountId, targetType: "station", targetId: stationId });
      expect(audit!.details).toMatchObject({ rows: 4, householdsCreated: 3, peopleCreated: 4, consentsRecorded: 2, encoding: "gb18030" });
      for (const personal of ["王", "富文路", "139", "助听器", "轮椅", "member-lin"]) expect(JSON.stringify(audit!.details)).not.toContain(personal);

      // The same rows as Excel's "CSV UTF-8": found, nothing to change, nothing changed.
      const again = utf8Bom(good);
      const second = await previewImport(t.db, ctx(), again);
      expect(problemsOf(second)).toEqual([]);
      expect(second.encoding).toBe("utf-8");
      expect(second.counts).toEqual({ rows: 4, householdsCreated: 0, householdsFilled: 0, peopleCreated: 0, peopleFilled: 0, consentsRecorded: 0 });
      expect(second.rows.every((r) => r.household === "existing" && r.person === "existing")).toBe(true);
      const snapshot = await t.db.select().from(people).orderBy(people.id);
      expect(await commitImport(t.db, ctx(), again, second.sha256)).toMatchObject({ ok: true });
      expect(await t.db.select().from(people).orderBy(people.id)).toEqual(snapshot);
      // Only the second import's own audit row is new.
      expect(await counts(t.db)).toEqual({ ...after, audit_log: after.audit_log! + 1 });
    });

    it("fills what an existing household and person lack, and never overwrites", async () => {
      const id = await createHousehold(t.db, ctx(), { label: "新村 3 号 赵家" });
      const [zhao] = await t.db.insert(people).values({ stationId, fullName: "赵大爷", householdId: id, needs: "拐杖" }).returning({ id: people.id });
      const bytes = utf8Bom(
        csvText([
          ["户名", "姓名", "手机", "出生年份", "需求", "联系会员", "同意方式"],
          ["新村 3 号 赵家", "赵大爷", "13600001234", "1941", "轮椅", "13933334444", "电话"],
        ]),
      );
      const preview = await previewImport(t.db, ctx(), bytes);
      expect(problemsOf(preview)).toEqual([]);
      expect(preview.counts).toMatchObject({ householdsCreated: 0, householdsFilled: 1, peopleCreated: 0, peopleFilled: 1, consentsRecorded: 1 });
      expect(await commitImport(t.db, ctx(), bytes, preview.sha256)).toMatchObject({ ok: true });
      const [person] = await t.db.select().from(people).where(eq(people.id, zhao!.id));
      expect(person).toMatchObject({ phone: "13600001234", birthYear: 1941, needs: "拐杖" });
      const [household] = await t.db.select().from(households).where(eq(households.id, id));
      expect(household!.caretakerId).toBe(otherMember.personId);
      expect(await t.db.select().from(householdConsents).where(eq(householdConsents.householdId, id))).toEqual([
        expect.objectContaining({ method: "phone", caretakerId: otherMember.personId }),
      ]);
      expect((await previewImport(t.db, ctx(), bytes)).counts).toMatchObject({ householdsFilled: 0, peopleFilled: 0, consentsRecorded: 0 });
    });

    it("refuses every bad row with its row number, and a broken file leaves every touched table as it was", async () => {
      const long = "长".repeat(10_000);
      const rows: string[][] = [
        [...HEADER],
        ["甲户", "", "", "", "13800000001", "", "", "", ""], // 2: no name
        ["乙户", "", "", "孙一", "13800000002", "1850", "", "", ""], // 3: birth year
        ["丙户", "", "", "孙二", "13800000002", "", "", "", ""], // 4: same phone as row 3, another household
        ["丁户", "", "", "孙三", "13900001111", "", "", "", ""], // 5: phone of 王德福 (another household)
        ["戊户", "", "", "孙四", "", "", "", "13000000000", ""], // 6: no such member
        ["己户", "", "", '=HYPERLINK("x")', "", "", "", "", ""], // 7: formula
        ["庚户", "", "", "孙\u0000五", "", "", "", "", ""], // 8: NUL
        ["辛户", "", "", "孙六", "", "", long, "", ""], // 9: 10,000 characters
        ["壬户", "", "", "孙七", "", "", "", "", "口头"], // 10: unknown consent, and no caretaker
        ["富文路 12 号 王家", "富文路 12 号 3 单元", "", "孙八", "", "", "", "13933334444", ""], // 11: another caretaker than the household's
        ["癸户", "", "", "孙九", "", "1950", "", "", ""],
        ["癸户", "", "", "孙九", "", "", "", "", ""], // 13: the same person as row 12
        ["子户", "", "", "孙十", "@SUM(1)", "", "", "", ""], // 14: formula in the phone column
        ["丑户", "", "", "孙十一", "+86 139 0000 9999", "", "", "", ""], // fine: an international phone
      ];
      const bytes = gb18030(csvText(rows));
      const before = await counts(t.db);
      const preview = await previewImport(t.db, ctx(), bytes);
      const expected: [number, ImportProblemCode][] = [
        [2, "nameMissing"],
        [3, "birthYear"],
        [4, "duplicatePhone"],
        [5, "phoneTaken"],
        [6, "caretakerUnknown"],
        [7, "formula"],
        [8, "nul"],
        [9, "tooLong"],
        [10, "consent"],
        [11, "caretakerDiffers"],
        [13, "duplicatePerson"],
        [14, "formula"],
      ];
      expect(problemsOf(preview)).toEqual(expected.map(([row, code]) => `${row}:${code}`));
      expect(preview.rows.find((r) => r.row === 4)!.problems[0]!.params).toEqual({ row: 3 });
      expect(preview.rows.find((r) => r.row === 9)!.problems[0]).toMatchObject({ column: "needs", params: { max: 200 } });
      expect(preview.rows.find((r) => r.row === 15)!.problems).toEqual([]);
      const result = await commitImport(t.db, ctx(), bytes, preview.sha256);
      expect(result.ok).toBe(false);
      expect(await counts(t.db)).toEqual(before);

      // The file itself: an unknown encoding, a workbook, an open quote, a missing column, too many rows.
      const fileProblem = async (file: Uint8Array) => problemsOf(await previewImport(t.db, ctx(), file));
      expect(await fileProblem(new Uint8Array([...new TextEncoder().encode("户名,姓名\n甲,乙\n"), 0xff, 0x0a]))).toEqual(["3:encoding"]);
      expect(await fileProblem(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toEqual(["-:workbook"]);
      expect(await fileProblem(utf8Bom('户名,姓名\r\n甲,乙\r\n"丙,丁\r\n'))).toEqual(["3:openQuote"]);
      expect(await fileProblem(utf8Bom("户名,电话\r\n甲,1\r\n"))).toEqual(["1:unknownColumn", "1:missingColumn"]);
      expect(await fileProblem(utf8Bom("户名,姓名\r\n" + "甲,乙\r\n".repeat(10_001)))).toEqual(["-:tooManyRows"]);
      const broken = utf8Bom('户名,姓名\r\n甲,乙\r\n"丙,丁\r\n');
      expect(await commitImport(t.db, ctx(), broken, sha256Of(broken))).toMatchObject({ ok: false });
      expect(await counts(t.db)).toEqual(before);
    });

    /** The import form as the browser sends it: multipart, with the file and the intent. */
    async function upload(token: string | undefined, file: Uint8Array | null, fields: Record<string, string>) {
      const cookie = (await getRequest("/", { token })).headers.get("Cookie") ?? "";
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      if (file) body.append("file", new File([new Uint8Array(file)], "名单.csv", { type: "text/csv" }));
      const request = new Request("http://localhost:3000/manage/households/import", { method: "POST", body, headers: { Cookie: cookie } });
      return callSafely(importPage.action as Handler, request);
    }
    type PageReply = {
      ok: boolean;
      formError?: string;
      done?: string;
      preview?: { sha256: string; problemCount: number; problems: { text: string }[] };
    };

    it("the import page: previews, imports, shows each problem with its row, and refuses a changed file (409)", async () => {
      const token = coordinator.token;
      const file = gb18030(csvText([[...HEADER], ["卯户", "卯街 1 号", "", "吴一", "13500005555", "1952", "", "13911112222", "电话"]]));
      const before = await counts(t.db);
      const preview = await upload(token, file, { intent: "preview" });
      expect(preview.status).toBe(200);
      const shown = preview.body as PageReply;
      expect(shown.preview).toMatchObject({ problemCount: 0, sha256: sha256Of(file) });
      expect(await counts(t.db)).toEqual(before);
      const wrong = await upload(token, gb18030(csvText([[...HEADER], ["卯户", "", "", "吴二"]])), {
        intent: "commit",
        sha256: shown.preview!.sha256,
      });
      expect(wrong.status).toBe(409);
      expect(await counts(t.db)).toEqual(before);
      const done = await upload(token, file, { intent: "commit", sha256: shown.preview!.sha256 });
      expect(done.status).toBe(200);
      expect((done.body as PageReply).done).toBe("已导入：新建 1 户、1 人；补充 0 户和 0 人；登记 1 户的同意。");
      expect(await counts(t.db)).toMatchObject({ households: before.households! + 1, people: before.people! + 1 });

      const bad = gb18030(csvText([[...HEADER], ["辰户", "", "", "", "", "", "", "", ""], ["辰户", "", "", "郑一", "", "3000", "", "", ""]]));
      const refused = await upload(token, bad, { intent: "commit", sha256: sha256Of(bad) });
      expect(refused.status).toBe(422);
      expect((refused.body as PageReply).preview!.problems.map((p) => p.text)).toEqual([
        "第 2 行：没有填姓名。",
        `第 3 行：出生年份不对：应是 1900 到 ${new Date().getUTCFullYear()} 之间的四位数。`,
      ]);
      expect((await upload(token, null, { intent: "preview" })).status).toBe(400);
      const huge = new Uint8Array(IMPORT.maxFileBytes + 1).fill(0x61);
      expect((await upload(token, huge, { intent: "preview" })).status).toBe(413);
      expect(await counts(t.db)).toMatchObject({ households: before.households! + 1, people: before.people! + 1 });
      // Staff only: a volunteer is refused the page and the upload.
      expect((await upload(member.token, file, { intent: "preview" })).status).toBe(403);
    });

    it("the template is the header the import reads, in the reader's language; only the import's path takes a large body", async () => {
      const token = coordinator.token;
      const template = async (locale?: "en") => {
        const request = await getRequest("/manage/households/import.csv", { token, locale });
        const response = (await importTemplate.loader({ request, params: {}, context: {} })) as Response;
        expect(response.status).toBe(200);
        return new Uint8Array(await response.arrayBuffer());
      };
      const zh = await template();
      // UTF-8 with its BOM, so Excel opens it in Chinese.
      expect([...zh.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(zh)).toBe("户名,地址,座机,姓名,手机,出生年份,需求,联系会员,同意方式\r\n");
      const en = await template("en");
      expect(new TextDecoder().decode(en)).toBe("household,address,landline,name,phone,birth year,needs,caretaker,consent\r\n");
      // Saved back unchanged it has no rows; with a row under it, every column of its header is known.
      expect(problemsOf(await previewImport(t.db, ctx(), zh))).toEqual(["-:empty"]);
      for (const header of [zh, en]) {
        const filled = new Uint8Array([...header, ...new TextEncoder().encode("巳户,,,钱三,,,,,\r\n")]);
        expect(problemsOf(await previewImport(t.db, ctx(), filled))).toEqual([]);
      }
      expect(bodyLimitFor("/manage/households/import")).toBe(IMPORT_BODY_BYTES);
      expect(bodyLimitFor("/manage/households/import.data")).toBe(IMPORT_BODY_BYTES);
      for (const other of ["/manage/households", "/manage/households/1", "/manage/households/import/x", "/api/v1/people"])
        expect(bodyLimitFor(other)).toBe(MAX_BODY_BYTES);
    });

    if (backend.name === "postgres")
      it("two coordinators importing the same file at once write it once (the station's import lock)", async () => {
        const rows = [
          ["户名", "姓名", "手机"],
          ...Array.from({ length: 300 }, (_, i) => [`并发户${i % 100}`, `并发${i}`, `1380100${String(i).padStart(4, "0")}`]),
        ];
        const bytes = utf8Bom(csvText(rows));
        const sha = sha256Of(bytes);
        const before = await counts(t.db);
        const results = await Promise.all([commitImport(t.db, ctx(), bytes, sha), commitImport(t.db, ctx(), bytes, sha)]);
        expect(results.map((r) => r.ok && r.counts.peopleCreated).sort()).toEqual([0, 300]);
        expect(await counts(t.db)).toMatchObject({ households: before.households! + 100, people: before.people! + 300 });
      });

    it("refuses a file other than the one previewed, and anyone but staff", async () => {
      const bytes = utf8Bom(
        csvText([
          ["户名", "姓名"],
          ["寅户", "钱一"],
        ]),
      );
      const preview = await previewImport(t.db, ctx(), bytes);
      const other = utf8Bom(
        csvText([
          ["户名", "姓名"],
          ["寅户", "钱二"],
        ]),
      );
      const before = await counts(t.db);
      await expect(commitImport(t.db, ctx(), other, preview.sha256)).rejects.toMatchObject({ code: "import_file_changed", status: 409 });
      await expect(previewImport(t.db, { stationId, actor: member }, bytes)).rejects.toBeInstanceOf(NotAllowed);
      await expect(commitImport(t.db, { stationId, actor: member }, bytes, preview.sha256)).rejects.toBeInstanceOf(DomainError);
      expect(await counts(t.db)).toEqual(before);
    });
  });
}
