import type { SessionState } from "#models/policies/signups";
import { useT } from "~/lib/view";

/** A session's state in words where places would be: never "N places left" on a past or cancelled session. */
export function SessionStateText({ state }: { state: SessionState }) {
  const t = useT();
  switch (state.kind) {
    case "open":
      return <>{t("calendar.placesLeft", { count: state.placesLeft })}</>;
    case "full":
      return <strong className="badge">{t("calendar.full")}</strong>;
    case "cancelled":
      return <strong className="badge badge-cancelled">{t("calendar.cancelled")}</strong>;
    case "ended":
      return <span className="badge badge-ended">{t("state.ended")}</span>;
    case "started":
      return <span className="badge">{t("state.started")}</span>;
  }
}
