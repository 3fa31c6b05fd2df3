import { Link } from "@remix-run/react";
import { useT } from "~/lib/view";

/** The way back from a page the account page opens (details, consents). */
export function BackToAccount() {
  const t = useT();
  return (
    <p>
      <Link to="/account" className="tap-link">
        {t("data.backToAccount")}
      </Link>
    </p>
  );
}
