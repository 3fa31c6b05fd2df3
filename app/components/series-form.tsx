import { Form } from "@remix-run/react";
import type { FieldErrors } from "~/lib/http.server";
import type { SeriesFormValues } from "~/lib/series-form.server";
import { isMessageKey, type MessageKey } from "~/i18n";
import { Field, FieldShell } from "./field";
import { Notice, SubmitButton, usePending } from "./form";
import { constraintsOf } from "~/lib/fields";
import { seriesFormSchema } from "~/lib/series-schema";
import { useT } from "~/lib/view";

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const NTHS = ["1", "2", "3", "4", "5", "-1"] as const;

export const EMPTY_SERIES: SeriesFormValues = {
  categoryId: "",
  title: "",
  description: "",
  location: "",
  leader: "",
  capacity: "30",
  durationMinutes: "60",
  startDate: "",
  startTime: "09:00",
  repeat: "weekly",
  interval: "1",
  weekdays: [],
  monthlyMode: "byMonthDay",
  monthDay: "",
  nth: "1",
  nthWeekday: "MO",
  ends: "never",
  until: "",
  count: "",
  exdates: "",
  maxPartySize: "1",
  signupOpensDays: "14",
  signupClosesMinutes: "60",
  cancelDeadlineMinutes: "120",
  reminderMinutes: "1440",
  remindDayOf: "",
};

interface Props {
  values: SeriesFormValues;
  categories: { id: number; name: string }[];
  errors: FieldErrors;
  formError?: string;
  preview?: string[];
}

// Each input's HTML constraints (required, lengths, bounds) from the schema the action parses with.
const CONSTRAINTS = constraintsOf(seriesFormSchema);
const limits = (name: keyof typeof CONSTRAINTS) => CONSTRAINTS[name] ?? {};

/**
 * The series editor. Which repeat options show follows the "repeat" choice through CSS
 * (:has), so the form works the same without JavaScript.
 */
export function SeriesForm({ values, categories, errors, formError, preview }: Props) {
  const t = useT();
  // Preview and save are two buttons of one form: each says when it is the one sent.
  const previewing = usePending({ intent: "preview" });
  const saving = usePending({ intent: "save" });
  const select = (name: keyof SeriesFormValues, label: string, options: { value: string; label: string }[]) => (
    <FieldShell id={`f-${name}`} label={label} error={errors[name]}>
      <select
        id={`f-${name}`}
        name={name}
        defaultValue={String(values[name])}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `f-${name}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
  // A value set elsewhere (the API allows any minute count) stays in the list, so saving keeps it.
  const reminderLabel = (m: string) =>
    isMessageKey(`series.reminder.${m}`) ? t(`series.reminder.${m}` as MessageKey) : t("series.reminder.custom", { minutes: m });
  const weekdayOptions = WEEKDAYS.map((d) => ({ value: d, label: t(`weekdayLong.${d}` as MessageKey) }));
  return (
    <Form method="post" noValidate className="series-form">
      <Notice tone="error">{formError}</Notice>
      {select(
        "categoryId",
        t("series.category"),
        categories.map((c) => ({ value: String(c.id), label: c.name })),
      )}
      <Field name="title" label={t("series.title")} defaultValue={values.title} error={errors.title} {...limits("title")} />
      <div className="field">
        <label htmlFor="f-description">{t("series.description")}</label>
        <textarea
          id="f-description"
          name="description"
          rows={3}
          maxLength={limits("description").maxLength}
          defaultValue={values.description}
          aria-describedby={errors.description ? "f-description-error" : undefined}
        />
        {errors.description ? (
          <p id="f-description-error" className="field-error">
            {errors.description}
          </p>
        ) : null}
      </div>
      <div className="field-row">
        <Field name="location" label={t("series.location")} defaultValue={values.location} error={errors.location} {...limits("location")} />
        <Field name="leader" label={t("series.leader")} defaultValue={values.leader} error={errors.leader} {...limits("leader")} />
      </div>
      <div className="field-row">
        <Field
          name="capacity"
          inputMode="numeric"
          label={t("series.capacity")}
          defaultValue={values.capacity}
          error={errors.capacity}
          {...limits("capacity")}
        />
        <Field
          name="durationMinutes"
          inputMode="numeric"
          label={t("series.duration")}
          defaultValue={values.durationMinutes}
          error={errors.durationMinutes}
          {...limits("durationMinutes")}
        />
      </div>
      <div className="field-row">
        <Field
          name="startDate"
          type="date"
          label={t("series.startDate")}
          defaultValue={values.startDate}
          error={errors.startDate}
          {...limits("startDate")}
        />
        <Field
          name="startTime"
          type="time"
          label={t("series.startTime")}
          defaultValue={values.startTime}
          error={errors.startTime}
          {...limits("startTime")}
        />
      </div>
      {select(
        "repeat",
        t("series.repeat"),
        ["none", "daily", "weekly", "monthly"].map((r) => ({ value: r, label: t(`series.repeat.${r}` as MessageKey) })),
      )}
      <div className="repeat-only">
        <Field
          name="interval"
          inputMode="numeric"
          label={t("series.interval")}
          defaultValue={values.interval}
          error={errors.interval}
          {...limits("interval")}
        />
      </div>
      <fieldset className="weekly-only" aria-describedby={errors.weekdays ? "f-weekdays-error" : undefined}>
        <legend>{t("series.weekdays")}</legend>
        <div className="checks">
          {weekdayOptions.map((d) => (
            <label key={d.value} className="check">
              <input
                type="checkbox"
                name="weekdays"
                value={d.value}
                defaultChecked={values.weekdays.includes(d.value)}
                aria-invalid={errors.weekdays ? true : undefined}
                aria-describedby={errors.weekdays ? "f-weekdays-error" : undefined}
              />
              {d.label}
            </label>
          ))}
        </div>
        {errors.weekdays ? (
          <p id="f-weekdays-error" className="field-error">
            {errors.weekdays}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="monthly-only">
        <legend>{t("series.monthlyMode")}</legend>
        {select("monthlyMode", t("series.monthlyMode"), [
          { value: "byMonthDay", label: t("series.monthly.byMonthDay") },
          { value: "byNthWeekday", label: t("series.monthly.byNthWeekday") },
        ])}
        <Field
          name="monthDay"
          inputMode="numeric"
          label={t("series.monthDay")}
          defaultValue={values.monthDay}
          error={errors.monthDay}
          {...limits("monthDay")}
        />
        <div className="field-row">
          {select(
            "nth",
            t("series.nth"),
            NTHS.map((n) => ({ value: n, label: t(`series.nth.${n}` as MessageKey) })),
          )}
          {select("nthWeekday", t("series.nthWeekday"), weekdayOptions)}
        </div>
      </fieldset>
      <fieldset className="repeat-only">
        <legend>{t("series.ends")}</legend>
        {select(
          "ends",
          t("series.ends"),
          ["never", "until", "count"].map((e) => ({ value: e, label: t(`series.ends.${e}` as MessageKey) })),
        )}
        <div className="field-row">
          <Field name="until" type="date" label={t("series.until")} defaultValue={values.until} error={errors.until} {...limits("until")} />
          <Field name="count" inputMode="numeric" label={t("series.count")} defaultValue={values.count} error={errors.count} {...limits("count")} />
        </div>
      </fieldset>
      <div className="field repeat-only">
        <label htmlFor="f-exdates">{t("series.exdates")}</label>
        <textarea
          id="f-exdates"
          name="exdates"
          rows={3}
          maxLength={limits("exdates").maxLength}
          defaultValue={values.exdates}
          aria-describedby={errors.exdates ? "f-exdates-error" : undefined}
        />
        {errors.exdates ? (
          <p id="f-exdates-error" className="field-error">
            {errors.exdates}
          </p>
        ) : null}
      </div>
      <fieldset>
        <legend>{t("series.signupRules")}</legend>
        <div className="field-row">
          <Field
            name="maxPartySize"
            inputMode="numeric"
            label={t("series.maxPartySize")}
            defaultValue={values.maxPartySize}
            error={errors.maxPartySize}
            {...limits("maxPartySize")}
          />
          <Field
            name="signupOpensDays"
            inputMode="numeric"
            label={t("series.signupOpensDays")}
            defaultValue={values.signupOpensDays}
            error={errors.signupOpensDays}
            {...limits("signupOpensDays")}
          />
        </div>
        <div className="field-row">
          <Field
            name="signupClosesMinutes"
            inputMode="numeric"
            label={t("series.signupClosesMinutes")}
            defaultValue={values.signupClosesMinutes}
            error={errors.signupClosesMinutes}
            {...limits("signupClosesMinutes")}
          />
          <Field
            name="cancelDeadlineMinutes"
            inputMode="numeric"
            label={t("series.cancelDeadlineMinutes")}
            defaultValue={values.cancelDeadlineMinutes}
            error={errors.cancelDeadlineMinutes}
            {...limits("cancelDeadlineMinutes")}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("series.reminders")}</legend>
        {select(
          "reminderMinutes",
          t("series.reminderMinutes"),
          reminderOptions(values.reminderMinutes).map((m) => ({ value: m, label: reminderLabel(m) })),
        )}
        <label className="check">
          <input type="checkbox" name="remindDayOf" value="1" defaultChecked={values.remindDayOf === "1"} />
          {t("series.remindDayOf")}
        </label>
      </fieldset>
      <div className="actions">
        <SubmitButton pending={previewing} disabled={saving} name="intent" value="preview" className="button-secondary">
          {t("series.preview")}
        </SubmitButton>
        <SubmitButton pending={saving} disabled={previewing} name="intent" value="save">
          {t("series.save")}
        </SubmitButton>
      </div>
      {preview ? (
        <section className="preview" aria-live="polite">
          <h2>{t("series.previewTitle")}</h2>
          {preview.length ? (
            <ol>
              {preview.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ol>
          ) : (
            <p>{t("series.previewEmpty")}</p>
          )}
        </section>
      ) : null}
    </Form>
  );
}

const REMINDER_CHOICES = ["0", "60", "120", "1440", "2880"];
const reminderOptions = (current: string) =>
  REMINDER_CHOICES.includes(current) || !/^\d+$/.test(current) ? REMINDER_CHOICES : [...REMINDER_CHOICES, current];

/** Puts the values a refused submission carried back into the form, as strings only. */
export function withSubmitted(base: SeriesFormValues, submitted: Record<string, unknown> | undefined): SeriesFormValues {
  if (!submitted) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(submitted)) {
    if (!(key in base)) continue;
    if (key === "weekdays") merged[key] = Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
    else if (typeof value === "string") merged[key] = value;
  }
  if (!("weekdays" in submitted)) merged.weekdays = [];
  if ("reminderMinutes" in submitted && !("remindDayOf" in submitted)) merged.remindDayOf = "";
  return merged as SeriesFormValues;
}
