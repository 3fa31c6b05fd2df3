import { HEAD_COUNT, SHIFT_OFFSET_MINUTES } from "#models/limits";
import { useT } from "~/lib/view";
import { Field, SelectField } from "./field";

type Need = { headCount: number; startOffsetMinutes: number; endOffsetMinutes: number };

const NEW_NEED: Need = { headCount: 1, startOffsetMinutes: 0, endOffsetMinutes: 0 };

/**
 * The inputs of a roster need, for a series or one session: how many people of a skill, and
 * the minutes they come before and stay after. `skills` is given for a new need; a saved one
 * keeps its skill and shows its own numbers (`need`).
 */
export function RosterNeedFields({
  idPrefix,
  skills,
  need = NEW_NEED,
  errors = {},
}: {
  idPrefix: string;
  skills?: { id: number; name: string }[];
  need?: Need;
  errors?: Record<string, string>;
}) {
  const t = useT();
  const number = (name: keyof Need, label: string, range: { min: number; max: number }) => (
    <Field
      id={`${idPrefix}-${name}`}
      name={name}
      label={label}
      type="number"
      inputMode="numeric"
      min={range.min}
      max={range.max}
      defaultValue={need[name]}
      required
      error={errors[name]}
    />
  );
  return (
    <>
      {skills ? (
        <SelectField
          id={`${idPrefix}-skillId`}
          name="skillId"
          label={t("roster.skill")}
          options={skills}
          placeholder={t("roster.chooseSkill")}
          required
          error={errors.skillId}
        />
      ) : null}
      {number("headCount", t("roster.headCount"), HEAD_COUNT)}
      {number("startOffsetMinutes", t("roster.setupMinutes"), SHIFT_OFFSET_MINUTES)}
      {number("endOffsetMinutes", t("roster.clearupMinutes"), SHIFT_OFFSET_MINUTES)}
    </>
  );
}
