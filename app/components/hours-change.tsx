import { useFetcher } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { CONSULTATION } from "#models/limits";
import { useT } from "~/lib/view";
import { Field } from "./field";
import { Notice } from "./form";

export type HoursChangeReply =
  | { ok: true; message: string }
  | {
      ok: false;
      formError: string;
      fieldErrors?: Record<string, string>;
      /** The bookings the change would leave outside the hours (ADR 27), and what to send again to confirm. */
      affected?: { lines: string[]; cancel: string; needsProviderOk: boolean; replay: Record<string, string> };
    }
  | undefined;

/**
 * A change of consultation hours (remove, end, a day off) in two steps like ConfirmAction: the
 * first tap opens the step, the second sends it. When the change would leave bookings outside the
 * hours, the reply lists them ("王德福 12月10日 14:00 的预约将被取消") and a third step confirms
 * their cancellation with the change; staff write how the provider agreed.
 */
export function HoursChange({
  label,
  consequence,
  confirmLabel,
  fields,
  children,
}: {
  label: string;
  consequence: string;
  confirmLabel: string;
  fields: Record<string, string | number>;
  /** Inputs the change needs (a date). */
  children?: ReactNode;
}) {
  const t = useT();
  const fetcher = useFetcher<HoursChangeReply>();
  const id = useId();
  const reply = fetcher.data;
  const pending = fetcher.state !== "idle";
  const affected = reply && !reply.ok ? reply.affected : undefined;
  return (
    <details className="confirm-action">
      <summary className="button-secondary">{label}</summary>
      <div className="confirm-step" role="group" aria-labelledby={`${id}-what`}>
        <p id={`${id}-what`} className="confirm-what">
          {consequence}
        </p>
        {/* The outcome first: what went wrong, or what the bookings below mean, before what to tap. */}
        {reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>}
        {affected ? (
          <fetcher.Form method="post" className="form-grid">
            <p>{t("consult.affectedTitle")}</p>
            <ul className="affected-bookings">
              {affected.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {Object.entries(affected.replay).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <input type="hidden" name="cancel" value={affected.cancel} />
            {affected.needsProviderOk ? (
              <Field name="providerOk" id={`${id}-ok`} label={t("consult.providerOk")} required maxLength={CONSULTATION.providerOk} />
            ) : null}
            <button type="submit" className="button-danger" disabled={pending} aria-busy={pending || undefined}>
              {pending ? t("confirm.pending") : t("consult.confirmCancelGo")}
            </button>
          </fetcher.Form>
        ) : (
          <fetcher.Form method="post" className="form-grid">
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            {children}
            <button type="submit" className="button-danger" disabled={pending} aria-busy={pending || undefined}>
              {pending ? t("confirm.pending") : confirmLabel}
            </button>
          </fetcher.Form>
        )}
      </div>
    </details>
  );
}

/** The changes of one row of weekly hours: remove them, or end them after a day. */
export function WeeklyHoursChanges({ hoursId }: { hoursId: number }) {
  const t = useT();
  return (
    <div className="actions-stack">
      <HoursChange
        label={t("consult.removeHours")}
        consequence={t("consult.removeHoursConsequence")}
        confirmLabel={t("consult.removeHoursGo")}
        fields={{ intent: "removeHours", hoursId }}
      />
      <HoursChange
        label={t("consult.endHours")}
        consequence={t("consult.endHoursConsequence")}
        confirmLabel={t("consult.endHoursGo")}
        fields={{ intent: "endHours", hoursId }}
      >
        <Field name="untilDate" id={`u-${hoursId}`} type="date" label={t("consult.endHoursDate")} required />
      </HoursChange>
    </div>
  );
}
