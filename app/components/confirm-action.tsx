import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { useT } from "~/lib/view";
import { Notice } from "./form";

export interface ConfirmActionProps {
  /** The first button: it only opens the confirmation step ("取消报名"). */
  label: string;
  /** What will happen, in plain words ("王德福的 2 个名额将释放给候补。"). */
  consequence: string;
  /** The second button, the one that acts ("确认取消报名"). */
  confirmLabel: string;
  /** The form's fields (intent and ids), sent as hidden inputs. */
  fields: Record<string, string | number>;
  /** Where to post; the current route when left out. */
  action?: string;
  /** An accessible name for the first button when `label` alone is ambiguous in a list. */
  ariaLabel?: string;
}

type Reply = { ok?: boolean; formError?: string } | undefined;

/**
 * Every destructive action goes through here: the first tap opens a step that says what will
 * happen, the second tap (a real submit) does it. A <details> element holds the step, so it
 * works without JavaScript; with it, the submit goes through this form's own fetcher, which
 * gives this button (and no other on the page) its pending state and shows a refusal beside it.
 * A successful action redirects, which the fetcher follows like a navigation.
 */
export function ConfirmAction({ label, consequence, confirmLabel, fields, action, ariaLabel }: ConfirmActionProps) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const id = useId();
  const pending = fetcher.state !== "idle";
  const refusal = fetcher.data && fetcher.data.ok === false ? fetcher.data.formError : undefined;
  return (
    <details className="confirm-action no-print">
      <summary className="button-danger" aria-label={ariaLabel}>
        {label}
      </summary>
      <div className="confirm-step" role="group" aria-labelledby={`${id}-what`}>
        <p id={`${id}-what`} className="confirm-what">
          {consequence}
        </p>
        <Notice tone="error">{refusal}</Notice>
        <fetcher.Form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" className="button-danger confirm-go" disabled={pending} aria-busy={pending || undefined}>
            {pending ? t("confirm.pending") : confirmLabel}
          </button>
        </fetcher.Form>
        <p className="help">{t("confirm.keepHint")}</p>
      </div>
    </details>
  );
}
