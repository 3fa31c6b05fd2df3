import { redirect } from "@remix-run/node";
import { MANUAL_MINUTES, TEXT } from "#models/limits";
import { z } from "zod";
import {
  addManualHours,
  confirmPersonSkill,
  createSkill,
  listManualHours,
  listPersonSkills,
  listSkills,
  removePersonSkill,
  setPersonSkill,
  updateSkill,
} from "#models/rosters";
import { listPendingSkills } from "#models/rosters/skills";
import { getPerson, searchPeople } from "#models/people";
import { hasAnyRole } from "#models/auth";
import { localName } from "~/i18n";
import { ADMIN, requireRoles, type AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";
import { parseIntent } from "./intent.server";
import { skillIntents } from "./skill-forms";
import { formatMinutes } from "./shifts.server";

/**
 * People found by name for the staff pages: only what picking the right one needs (never the
 * health notes that searchPeople also returns).
 */
export async function findPeople(ctx: AuthorisedContext, query: string) {
  const q = query.trim().slice(0, 40);
  if (!q) return [];
  const found = await searchPeople(ctx.db, ctx.station.id, q, 10);
  return found.map((p) => ({ id: p.id, name: p.fullName, household: p.household, birthYear: p.birthYear }));
}

/** The skills page: the list (editable by admins), the confirmation queue, and people found by name with their skills. */
export async function skillsView(ctx: AuthorisedContext, url: URL) {
  const query = url.searchParams.get("q") ?? "";
  const [skills, pending, found] = await Promise.all([
    listSkills(ctx.db, ctx.station.id),
    listPendingSkills(ctx.db, ctx.station.id),
    findPeople(ctx, query),
  ]);
  const withSkills = await Promise.all(
    found.map(async (p) => ({
      ...p,
      skills: (await listPersonSkills(ctx.db, ctx.station.id, p.id)).map((s) => ({
        id: s.skill.id,
        name: localName(ctx.locale, s.skill),
        specialty: s.specialty,
        qualified: s.qualified,
      })),
    })),
  );
  return {
    canEditList: hasAnyRole(ctx.viewer, ADMIN),
    query,
    skills: skills.map((s) => ({
      id: s.id,
      slug: s.slug,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      restricted: s.restricted,
      name: localName(ctx.locale, s),
    })),
    pending: pending.map((p) => ({
      key: `${p.personId}-${p.skillId}`,
      personId: p.personId,
      name: p.name,
      skillId: p.skillId,
      skill: localName(ctx.locale, p),
      specialty: p.specialty,
    })),
    found: withSkills,
  };
}

const ADMIN_INTENTS = new Set(["create", "update"]);

/**
 * The skills page's forms. Staff confirm, remove and give skills; only admins change the
 * list itself — a coordinator posting those intents is refused as the guard would be (403).
 */
export async function skillsAction(ctx: AuthorisedContext, formData: FormData) {
  const intent = formData.get("intent");
  if (typeof intent === "string" && ADMIN_INTENTS.has(intent)) await requireRoles(ctx, ADMIN);
  const input = parseIntent(formData, skillIntents, ctx.t);
  if (!input.ok) return input.reply;
  const rosterCtx = { stationId: ctx.station.id, actor: ctx.viewer };
  let done: string = input.intent;
  try {
    switch (input.intent) {
      case "create":
        await createSkill(ctx.db, rosterCtx, input.data);
        done = "created";
        break;
      case "update":
        await updateSkill(ctx.db, rosterCtx, input.data.skillId, {
          nameZh: input.data.nameZh,
          nameEn: input.data.nameEn,
          restricted: input.data.restricted,
        });
        done = "updated";
        break;
      case "confirm":
        await confirmPersonSkill(ctx.db, rosterCtx, input.data.personId, input.data.skillId);
        done = "confirmed";
        break;
      case "remove":
        await removePersonSkill(ctx.db, rosterCtx, input.data.personId, input.data.skillId);
        done = "removed";
        break;
      case "give": {
        const result = await setPersonSkill(ctx.db, rosterCtx, input.data);
        done = result.confirmed ? "given" : "givenPending";
        break;
      }
    }
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  const q = formData.get("q");
  return redirect(`/manage/skills?done=${done}${typeof q === "string" && q ? `&q=${encodeURIComponent(q.slice(0, 40))}` : ""}`);
}

/** The manual hours page: people found by name, and for the chosen one their entries of this year. */
export async function manualHoursView(ctx: AuthorisedContext, url: URL, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const today = fmt.localDate(now);
  const query = url.searchParams.get("q") ?? "";
  const personParam = url.searchParams.get("personId");
  const personId = personParam && /^[1-9][0-9]{0,9}$/.test(personParam) ? Number(personParam) : null;
  const person = personId && personId <= 2_147_483_647 ? await getPerson(ctx.db, ctx.station.id, personId) : undefined;
  const year = Number(today.slice(0, 4));
  const entries = person ? await listManualHours(ctx.db, ctx.station.id, person.id, { year }) : [];
  return {
    today,
    query,
    found: await findPeople(ctx, query),
    person: person ? { id: person.id, name: person.fullName } : null,
    entries: entries
      .slice()
      .reverse()
      .map((e) => ({ id: e.id, day: fmt.dayOfDate(e.workDate), duration: formatMinutes(ctx.t, e.minutes), note: e.note })),
    canExport: hasAnyRole(ctx.viewer, ADMIN),
    exportFrom: `${year}-01-01`,
    exportTo: today,
  };
}

const hoursSchema = z.object({
  personId: fields.id(),
  workDate: fields.date(),
  minutes: fields.int(MANUAL_MINUTES.min, MANUAL_MINUTES.max),
  note: fields.optionalText(TEXT.note),
});

export async function manualHoursAction(ctx: AuthorisedContext, formData: FormData) {
  const parsed = parseForm(formData, hoursSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    await addManualHours(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  return redirect(`/manage/hours?personId=${parsed.data.personId}&done=1`);
}
