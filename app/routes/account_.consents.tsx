import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { consentAction, consentView } from "~/lib/consents.server";
import { ConsentList } from "~/components/consent-list";
import { Notice } from "~/components/form";
import { BackToAccount } from "~/components/back-to-account";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("consent.myTitle");

/** The signed-in person's consents: read each purpose's words, agree or withdraw online (ADR 22). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return { consents: await consentView(ctx, ctx.viewer.personId) };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return consentAction(ctx, ctx.viewer.personId, await readForm(request, ctx.t));
}

export default function MyConsents() {
  const t = useT();
  const { consents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="panel narrow">
      <h1>{t("consent.myTitle")}</h1>
      <p className="help">{t("consent.myIntro")}</p>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      <ConsentList items={consents} />
      <BackToAccount />
    </section>
  );
}
