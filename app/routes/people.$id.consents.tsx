import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { canActFor } from "#models/permissions";
import { requirePerson } from "#models/people";
import { RECORDED_WAYS } from "#models/privacy/purposes";
import { authorize, type AuthorisedContext } from "~/lib/guard.server";
import { notFound, parseId, readForm } from "~/lib/http.server";
import { consentAction, consentView } from "~/lib/consents.server";
import { ConsentList } from "~/components/consent-list";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.name ?? "Hearth" }];

/** Staff, or the caretaker acting for them, record a person's consents: how they said so (ADR 22). */
async function personFor(ctx: AuthorisedContext, id: string | undefined) {
  const personId = parseId(id, ctx.t);
  // One answer for "no such person" and "not yours to act for" (ADR 19).
  if (!(await canActFor(ctx.db, ctx.station.id, ctx.viewer, personId))) throw notFound(ctx.t);
  // One's own consents are given online, on the account page.
  if (personId === ctx.viewer.personId) throw redirect("/account/consents");
  return personId;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const personId = await personFor(ctx, params.id);
  const person = await requirePerson(ctx.db, ctx.station.id, personId);
  return { name: person.fullName, consents: await consentView(ctx, personId), ways: RECORDED_WAYS };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const personId = await personFor(ctx, params.id);
  return consentAction(ctx, personId, await readForm(request, ctx.t));
}

export default function PersonConsents() {
  const t = useT();
  const { name, consents, ways } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="panel narrow">
      <h1>{t("consent.titleFor", { name })}</h1>
      <p className="help">{t("consent.recordIntro")}</p>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      <ConsentList items={consents} ways={ways} />
    </section>
  );
}
