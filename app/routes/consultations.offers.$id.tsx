import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { OfferGone } from "#models/consultations/errors";
import { authorize } from "~/lib/guard.server";
import { orPageError, parseId, readForm } from "~/lib/http.server";
import { answerOfferFromForm, offerView } from "~/lib/consultation-waitlist.server";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { TopicField } from "~/components/consultation-topic";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * A slot held from the waitlist (ADR 26), reached from the offer mail: book it or let it go.
 * For the person, whoever may act for them, and staff; to anyone else it does not exist (404).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const id = parseId(params.id, ctx.t);
  const offer = await orPageError(
    offerView(ctx, id).catch((error: unknown) => {
      // No longer held: say so plainly rather than an error page (the mail may be hours old).
      if (error instanceof OfferGone) return null;
      throw error;
    }),
    ctx.t,
  );
  return { pageTitle: ctx.t("offer.title"), offer };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const id = parseId(params.id, ctx.t);
  return answerOfferFromForm(ctx, id, await readForm(request, ctx.t));
}

export default function ConsultationOffer() {
  const t = useT();
  const { offer } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const accepting = usePending({ intent: "accept" });
  const declining = usePending({ intent: "decline" });
  return (
    <section className="consult">
      <p className="consult-back">
        <Link to="/bookings">← {t("bookings.title")}</Link>
      </p>
      <h1>{t("offer.title")}</h1>
      {offer ? (
        <div className="panel">
          <h2>{offer.service}</h2>
          {offer.self ? null : <p>{t("offer.for", { name: offer.person })}</p>}
          <p className="consult-when">{offer.when}</p>
          <p>
            {offer.provider} · {offer.location}
          </p>
          <p>
            <strong>{t("waitlist.heldUntil", { until: offer.heldUntil })}</strong>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <TopicField id="offer-topic" />
            <SubmitButton pending={accepting}>{t("offer.accept")}</SubmitButton>
          </Form>
          <Form method="post" className="consult-decline">
            <input type="hidden" name="intent" value="decline" />
            <p className="help">{t("offer.declineHelp")}</p>
            <SubmitButton pending={declining} className="button-secondary">
              {t("offer.decline")}
            </SubmitButton>
          </Form>
          <Notice tone="error">{reply && !reply.ok ? reply.formError : undefined}</Notice>
        </div>
      ) : (
        <Notice tone="info" block>
          <p>{t("offer.gone")}</p>
          <p>
            <Link to="/consultations">{t("consult.title")}</Link>
          </p>
        </Notice>
      )}
    </section>
  );
}
