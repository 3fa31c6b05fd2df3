import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { unsubscribe, unsubscribeInfo } from "#models/notifications/preferences";
import type { NotificationKind } from "#models/db/schema";
import { authorize, type RequestContext } from "~/lib/guard.server";
import { formError, notFound, readForm } from "~/lib/http.server";
import type { MessageKey } from "~/i18n";
import { useT } from "~/lib/view";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("unsub.title", [{ name: "robots", content: "noindex" }]);

// Without this the loader's headers stay on the server: the page (it names the token in its
// URL) must be neither cached nor sent on as a Referer.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** What stops, in the words of the account page's checkboxes. */
function whatStops(ctx: RequestContext, kind: NotificationKind, group: string | undefined) {
  return group ? ctx.t(`mailGroup.${group}` as MessageKey) : ctx.t(`notificationKind.${kind}` as MessageKey);
}

// The link in the mail is the credential (a secret per mail), so no sign-in: but GET only
// shows the question. Mail scanners fetch links; only a POST unsubscribes.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const info = await unsubscribeInfo(ctx.db, params.token ?? "");
  if (!info) throw notFound(ctx.t);
  // A masked name and what stops; nothing else about the person.
  return data(
    { name: info.maskedName, what: whatStops(ctx, info.kind, info.group), already: info.already },
    { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "public");
  const form = await readForm(request, ctx.t);
  // New mails point one-click at /unsubscribe/<token>/one-click; mails sent before that point
  // here, so a same-site one-click POST is still honoured (and answered with the page).
  const oneClick = form.get("List-Unsubscribe") === "One-Click";
  if (!oneClick && form.get("intent") !== "unsubscribe") return formError(400, ctx.t("error.badRequest"));
  const done = await unsubscribe(ctx.db, params.token ?? "");
  if (!done) throw notFound(ctx.t);
  const info = await unsubscribeInfo(ctx.db, params.token ?? "");
  return data({ ok: true as const, already: done.already, what: info ? whatStops(ctx, info.kind, info.group) : "" });
}

export default function Unsubscribe() {
  const t = useT();
  const { name, what, already } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = usePending({ intent: "unsubscribe" });
  // Action data is whatever the action answered: only an object is looked into.
  const done = typeof result === "object" && result !== null && "ok" in result && result.ok ? result : null;
  return (
    <section className="panel narrow">
      <h1>{t("unsub.title")}</h1>
      {done || already ? (
        <Notice tone="ok" block>
          <p>{done && !done.already ? t("unsub.done", { what }) : t("unsub.already", { what })}</p>
          <p>
            <Link to="/account">{t("unsub.account")}</Link>
          </p>
        </Notice>
      ) : (
        <Form method="post">
          <p>{t("unsub.what", { name, what })}</p>
          <p className="help">{t("unsub.other")}</p>
          {typeof result === "object" && result !== null && !done && "formError" in result ? <Notice tone="error">{result.formError}</Notice> : null}
          <input type="hidden" name="intent" value="unsubscribe" />
          <SubmitButton pending={pending} className="button-primary button-big">
            {t("unsub.button")}
          </SubmitButton>
        </Form>
      )}
    </section>
  );
}
