import type { SignupState } from "#models/policies/signups";
import { useT } from "~/lib/view";

/**
 * A signup's state as one badge, the same on 我的预约, a person's bookings and the session page:
 * a cancelled session is never shown as booked, an ended one says so, a moved one is marked.
 * `moved` is the policy's answer already (showsMoved, applied on the server: the policies module
 * is server code and stays out of the browser bundle).
 */
export function SignupStateBadge({ state, position, moved }: { state: SignupState; position: number | null; moved: boolean }) {
  const t = useT();
  const text = state === "waitlisted" ? t("state.waitlisted", { position: position ?? 1 }) : t(`state.${state}`);
  return (
    <>
      <span className={`status-badge status-${state}`}>{text}</span>
      {moved ? <strong className="badge badge-moved">{t("state.moved")}</strong> : null}
    </>
  );
}
