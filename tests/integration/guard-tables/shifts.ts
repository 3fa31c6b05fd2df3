// The shifts pages in the route guard matrix. 我的排班, availability and hours are the
// viewer's own (signed-in: a resident sees an explanation, and every action acts on the
// viewer's own rows, which the model checks). The skills page is staff, but changing the
// list is the admins': those intents are listed apart with policy "admin".
import { goes, page, type GuardPart } from "../../support/guard-kit";
import type { Role } from "../../../models/auth";
import { stationDate } from "../../support/routes-kit";
import { makeSkill, makeVolunteer } from "../../support/roster-fixtures";
import * as shifts from "../../../app/routes/shifts";
import * as availability from "../../../app/routes/shifts_.availability/route";
import * as hours from "../../../app/routes/shifts_.hours";
import * as skillsAdmin from "../../../app/routes/manage.skills";
import * as manualHours from "../../../app/routes/manage.hours";
import * as hoursCsv from "../../../app/routes/manage.hours[.]csv";

// Each allowed confirm takes the next pending claim, so the coordinator's and the admin's
// calls (on each backend) never confirm the same one twice. form() runs for refused viewers
// too, hence a pool far larger than the two allowed calls.
const POOL = 40;
let nextPending = 0;
let slugSeq = 0;
const staffPage = (viewer: string): Role[] => (viewer === "coordinator" ? ["admin"] : ["coordinator", "admin"]);

export const part: GuardPart = {
  modules: {
    shifts,
    "shifts_.availability": availability,
    "shifts_.hours": hours,
    "manage.skills": skillsAdmin,
    "manage.hours": manualHours,
    "manage.hours[.]csv": hoursCsv,
  },
  watched: ["assignments", "person_skills", "skills", "manual_hours", "availability", "blackouts"],
  async prepare(db, fx, { stationId }) {
    const doctor = await makeSkill(db, stationId, { restricted: true, nameZh: "医生", nameEn: "Doctor" });
    fx.extra.shiftsDoctorSkill = doctor;
    fx.extra.shiftsOpenSkill = await makeSkill(db, stationId, { nameZh: "茶水", nameEn: "Tea" });
    for (let i = 0; i < POOL; i++) {
      fx.extra[`shiftsClaimant${i}`] = (
        await makeVolunteer(db, stationId, { roles: ["doctor"], skills: [{ skillId: doctor, confirmed: false }], name: `待确认医生${i}` })
      ).personId;
    }
  },
  entries: [
    { route: "shifts", kind: "loader", policy: "signed-in", path: () => "/shifts", ok: page() },
    // No assignment 0: validation refuses it before any lookup, for every viewer alike.
    {
      route: "shifts",
      kind: "action",
      policy: "signed-in",
      path: () => "/shifts",
      form: () => ({ intent: "confirm", assignmentId: "0" }),
      ok: page(400),
      writesNothing: true,
    },
    { route: "shifts_.availability", kind: "loader", policy: "signed-in", path: () => "/shifts/availability", ok: page() },
    {
      route: "shifts_.availability",
      kind: "action",
      policy: "signed-in",
      path: () => "/shifts/availability",
      form: () => ({ intent: "week", weekday: ["1", "3"], start: ["09:00", "14:00"], end: ["11:30", "17:00"] }),
      ok: goes("/shifts/availability?done=week"),
    },
    { route: "shifts_.hours", kind: "loader", policy: "signed-in", path: () => "/shifts/hours", ok: page() },
    { route: "manage.skills", kind: "loader", policy: "staff", path: () => "/manage/skills?q=%E5%BE%85%E7%A1%AE%E8%AE%A4", ok: page() },
    {
      route: "manage.skills",
      kind: "action",
      policy: "admin",
      path: () => "/manage/skills",
      form: () => ({ intent: "create", slug: `guard-skill-${++slugSeq}`, nameZh: "测试技能", nameEn: "Test skill" }),
      ok: goes("/manage/skills?done=created"),
      // Someone not staff is refused by the page's own guard (it names staff); a coordinator by the form's.
      refusedRoles: staffPage,
    },
    {
      route: "manage.skills",
      kind: "action",
      policy: "admin",
      path: () => "/manage/skills",
      form: (fx) => ({ intent: "update", skillId: String(fx.extra.shiftsOpenSkill), nameZh: "茶水服务", nameEn: "Tea service", restricted: "" }),
      ok: goes("/manage/skills?done=updated"),
      refusedRoles: staffPage,
    },
    {
      route: "manage.skills",
      kind: "action",
      policy: "staff",
      path: () => "/manage/skills",
      form: (fx) => ({
        intent: "confirm",
        personId: String(fx.extra[`shiftsClaimant${nextPending++ % POOL}`]),
        skillId: String(fx.extra.shiftsDoctorSkill),
      }),
      ok: goes("/manage/skills?done=confirmed"),
    },
    {
      route: "manage.skills",
      kind: "action",
      policy: "staff",
      path: () => "/manage/skills",
      form: (fx) => ({ intent: "give", personId: String(fx.personId), skillId: String(fx.extra.shiftsOpenSkill), specialty: "" }),
      ok: goes("/manage/skills?done=given"),
    },
    {
      route: "manage.hours",
      kind: "loader",
      policy: "staff",
      path: (fx) => `/manage/hours?q=%E5%B1%85%E6%B0%91&personId=${fx.personId}`,
      ok: page(),
    },
    {
      route: "manage.hours",
      kind: "action",
      policy: "staff",
      path: () => "/manage/hours",
      form: (fx) => ({ personId: String(fx.personId), workDate: stationDate(0), minutes: "45", note: "整理物资" }),
      ok: (fx) => ({ status: 302, location: `/manage/hours?personId=${fx.personId}&done=1` }),
    },
    {
      route: "manage.hours[.]csv",
      kind: "loader",
      policy: "admin",
      path: () => `/manage/hours.csv?by=person&from=${stationDate(-30)}&to=${stationDate(0)}`,
      ok: page(),
    },
  ],
};
