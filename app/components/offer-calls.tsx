import { Link } from "@remix-run/react";
import { useT } from "~/lib/view";
import type { offerCallsView } from "~/lib/calls.server";

type OfferCall = Awaited<ReturnType<typeof offerCallsView>>[number];

/**
 * Consultation slots held for people the offer mail cannot reach (ADR 26 addendum): the most
 * urgent calls on the list, since the hold runs out in hours, so they come before the day's.
 */
export function OfferCalls({ offers }: { offers: OfferCall[] }) {
  const t = useT();
  if (offers.length === 0) return null;
  return (
    <section className="call-offers" aria-labelledby="call-offers-title">
      <h2 id="call-offers-title">{t("calls.offersTitle")}</h2>
      <p>{t("calls.offersIntro")}</p>
      <ul>
        {offers.map((o) => (
          <li key={o.offerId} className="panel">
            <p>
              <strong>{o.name}</strong> {o.phone ? <a href={`tel:${o.phone}`}>{o.phone}</a> : t("calls.offersNoPhone")}
            </p>
            <p>
              {o.when} · {o.location} · {o.providerName}
            </p>
            <p>
              <strong>{t("calls.offersHeldUntil", { at: o.heldUntil })}</strong> · {t(`calls.offersReason.${o.reason}`)}
            </p>
            <Link to={`/consultations/offers/${o.offerId}`} className="button-primary no-print">
              {t("calls.offersAnswer")}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
