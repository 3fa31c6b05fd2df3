import { z } from "zod";
import { consentStates, giveConsent, renewConsent, withdrawConsent } from "#models/privacy/consents";
import { CONSENT_WAYS, PURPOSES, purposeText } from "#models/privacy/purposes";
import { isStaff } from "#models/permissions";
import type { MessageKey } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError } from "./http.server";
import { parseIntent } from "./intent.server";

/**
 * A person's consents as the consent pages show them (ADR 22): each purpose's words at the
 * current version, whether it is in force and since when, who recorded it and how, and what
 * the viewer may do. `self`: the person on their own account page (online, no way to choose).
 */
export async function consentView(ctx: AuthorisedContext, personId: number) {
  const t = ctx.t;
  const self = ctx.viewer.personId === personId;
  const staff = isStaff(ctx.viewer);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const at = (d: Date) => `${fmt.dayLong(d)} ${fmt.time(d)}`;
  const states = await consentStates(ctx.db, ctx.station.id, personId);
  return states.map((s) => {
    const l = s.latest;
    const caretakerCare = s.purpose === "caretaker_care";
    const status = !l
      ? t("consent.statusNone")
      : l.withdrawnAt
        ? t("consent.statusWithdrawn", { when: at(l.withdrawnAt), who: l.withdrawnBy ?? t("data.system") })
        : t("consent.statusGiven", {
            when: at(l.givenAt),
            who: l.recordedBy ?? t("data.system"),
            how: t(`consent.way.${l.way}` as MessageKey),
            version: l.version,
          });
    const outdated = s.inForce && s.version !== null && s.version < s.currentVersion;
    return {
      purpose: s.purpose,
      title: t(`consent.purpose.${s.purpose}` as MessageKey),
      text: purposeText(s.purpose, s.currentVersion, ctx.locale),
      inForce: s.inForce,
      outdated,
      // Agreeing to the new words in one step; caretaker_care is recorded again on the household page.
      canRenew: outdated && !caretakerCare,
      // Mail and reminders go out under the mail settings until the person is asked (ADR 22, addendum).
      neverAsked: !l && (s.purpose === "mail" || s.purpose === "booking_reminders"),
      status,
      // The household's word to its caretaker is taken by staff (ADR 19); the person may end it.
      canGive: !s.inForce && (!caretakerCare || (staff && !self)),
      canWithdraw: s.inForce && (!caretakerCare || staff || self),
      giveHint: !s.inForce && caretakerCare && !(staff && !self) ? t("consent.caretakerCareAtDesk") : null,
    };
  });
}

const purpose = z.enum(PURPOSES, "field.choice");
const way = z.enum(CONSENT_WAYS, "field.choice");
export const consentIntents = {
  give: z.object({ purpose, way }),
  renew: z.object({ purpose, way }),
  withdraw: z.object({ purpose, way }),
};

/** Gives or withdraws one consent for `personId` from a consent page's form; refusals in words. */
export async function consentAction(ctx: AuthorisedContext, personId: number, form: FormData) {
  const parsed = parseIntent(form, consentIntents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    const { purpose, way } = parsed.data;
    if (parsed.intent === "give") await giveConsent(ctx.db, scope, personId, purpose, way);
    else if (parsed.intent === "renew") await renewConsent(ctx.db, scope, personId, purpose, way);
    else await withdrawConsent(ctx.db, scope, personId, purpose, way);
    const message =
      parsed.intent === "give"
        ? "consent.given"
        : parsed.intent === "renew"
          ? "consent.renewed"
          : purpose === "health_needs"
            ? "consent.withdrawnNeeds"
            : "consent.withdrawn";
    return { ok: true as const, message: ctx.t(message) };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
