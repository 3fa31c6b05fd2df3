import { CONSULTATION } from "#models/limits";
import { useT } from "~/lib/view";
import { Field } from "./field";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The inputs of weekly consultation hours (星期, from–until, the room, from which day), the same
 * on the staff page and on a provider's own: the page adds who and which service.
 */
export function WeeklyHoursFields({ idPrefix, errors = {} }: { idPrefix: string; errors?: Record<string, string> }) {
  const t = useT();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-w`}>{t("consult.weekday")}</label>
        <select id={`${idPrefix}-w`} name="weekday">
          {WEEKDAYS.map((d) => (
            <option key={d} value={d}>
              {t(`consult.weekday${d}` as "consult.weekday1")}
            </option>
          ))}
        </select>
      </div>
      <StretchFields idPrefix={idPrefix} errors={errors} />
      <Field name="fromDate" id={`${idPrefix}-f`} type="date" label={t("consult.fromDate")} required error={errors.fromDate} />
    </>
  );
}

/** From–until and the room: of weekly hours, or of one extra stretch on a day. */
export function StretchFields({ idPrefix, errors = {} }: { idPrefix: string; errors?: Record<string, string> }) {
  const t = useT();
  return (
    <>
      <Field name="startTime" id={`${idPrefix}-s`} type="time" label={t("consult.start")} required error={errors.startTime} />
      <Field name="endTime" id={`${idPrefix}-e`} type="time" label={t("consult.end")} required error={errors.endTime} />
      <Field name="location" id={`${idPrefix}-l`} label={t("consult.room")} required maxLength={CONSULTATION.location} error={errors.location} />
    </>
  );
}
