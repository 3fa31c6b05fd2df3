import { z } from "zod";
import { BIRTH_YEAR_MIN, TEXT } from "#models/limits";
import { fields } from "./fields";

/** The correction form of a person's details (their own page and staff's): one schema for the inputs and the action (ADR 17). */
export const detailsSchema = z.object({
  fullName: fields.text(TEXT.personName),
  phone: fields.optionalPhone(),
  email: fields.optionalEmail(),
  birthYear: fields.optionalInt(BIRTH_YEAR_MIN, new Date().getFullYear()).default(null),
  needs: fields.optionalText(TEXT.needs),
});

/** Staff correcting the needs of a person who has an account (the rest is theirs to correct). */
export const needsSchema = z.object({ needs: fields.optionalText(TEXT.needs) });

/** The form's starting values from the person as kept: an absent detail is an empty input. */
export function detailsOf(person: { fullName: string; phone: string | null; email: string | null; birthYear: number | null; needs: string | null }) {
  return {
    fullName: person.fullName,
    phone: person.phone ?? "",
    email: person.email ?? "",
    birthYear: person.birthYear,
    needs: person.needs ?? "",
  };
}
