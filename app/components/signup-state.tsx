import { showsMoved, type SignupState } from "#models/policies/signups";
import { useT } from "~/lib/view";

/**
 * A signup's state as one badge, the same on 我的预约, a person's bookings and the session page:
 * a cancelled session is never shown as booked, an ended one says so, a moved one is marked.
 */
export function SignupStateBadge({ state, position, moved }: { state: SignupState; position: number | null; moved: boolean }) {
  const t = useT();
  const text = state === "waitlisted" ? t("state.waitlisted", { position: position ?? 1 }) : t(`state.${state}`);
  return (
    <>
      <span className={`status-badge status-${state}`}>{text}</span>
      {showsMoved(state, moved) ? <strong className="badge badge-moved">{t("state.moved")}</strong> : null}
    </>
  );
}
