import { z } from "zod";
import { TEXT } from "#models/limits";
import { fields } from "./fields";

/**
 * The skills page's forms, one schema an intent (read by parseIntent in shifts-admin.server.ts);
 * not `.server`, so the page's inputs take their constraints from the same schemas.
 */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");
const names = { nameZh: fields.text(TEXT.skillName), nameEn: fields.text(TEXT.skillName), restricted: checkbox };
const personSkill = z.object({ personId: fields.id(), skillId: fields.id() });

export const skillIntents = {
  create: z.object({
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,40}$/, "field.slug")
      .max(40, "field.slug"),
    ...names,
  }),
  update: z.object({ skillId: fields.id(), ...names }),
  confirm: personSkill,
  remove: personSkill,
  give: personSkill.extend({ specialty: fields.optionalText(TEXT.specialty) }),
};
