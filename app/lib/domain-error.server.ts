import type { DomainError, ErrorCode } from "#models/errors";
import { errorMessageKey, type MessageKey, type Translate } from "~/i18n";

/**
 * A domain error in the user's language. Every code has its `error.<code>` entry in the
 * catalog (checked at compile time: models/errors.ts lists the codes, the catalog must cover
 * them), so this is the one place a code becomes text, for forms and the API alike.
 */
export const domainMessage = (error: DomainError, t: Translate) => t(messageKey(error), error.params);

/** A person's clash is told by what holds them (signed up, on a shift) when it is known. */
function messageKey(error: DomainError): MessageKey {
  if (error.code === "person_conflict" && error.params.kind === "attending") return "error.person_conflict_attending";
  if (error.code === "person_conflict" && error.params.kind === "shift") return "error.person_conflict_shift";
  // Having or giving one: either way only "a consultation", never its service or topic.
  if (error.code === "person_conflict" && (error.params.kind === "consultation" || error.params.kind === "consulting"))
    return "error.person_conflict_consultation";
  // Hours are public (法律援助 14:00–17:00), so their service is named.
  if (error.code === "person_conflict" && error.params.kind === "hours") return "error.person_conflict_hours";
  return errorMessageKey(error.code);
}

/** Seconds a client should wait before trying again, for the refusals that say so. */
export function retryAfter(error: DomainError): string | null {
  if (error.status === 429) return String(Number(error.params.minutes ?? 15) * 60);
  if (error.status === 503) return "1";
  return null;
}

/**
 * The few codes the JSON API names differently from the domain: the consultation contract of
 * issue 12 (ADR 18's API addendum) speaks of slots and bookings as a client sees them. The model
 * keeps its typed errors; this is the one place their API codes are chosen. Every other code is
 * the domain's own.
 */
const API_CODES: Partial<Record<ErrorCode, string>> = {
  consultation_slot_unavailable: "slot_taken",
  consultation_slot_past: "slot_past",
  consultation_limit: "booking_limit",
};

export const apiCodeOf = (error: DomainError): string => API_CODES[error.code] ?? error.code;
