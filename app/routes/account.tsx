import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { countLiveSessions, endAllSessions } from "#models/auth";
import { recordAudit } from "#models/audit";
import { authorize } from "~/lib/guard.server";
import { clearSessionToken } from "~/lib/cookies.server";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";

export const meta: MetaFunction = () => [{ title: "我的账号 · My account" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, viewer, t } = await authorize(request, "signed-in");
  return {
    name: viewer.name,
    email: viewer.email,
    roles: viewer.roles.map((r) => t(`role.${r}` as MessageKey)),
    devices: await countLiveSessions(db, viewer.accountId),
  };
}

/** Signs every device out: all of the account's sessions are revoked, this one too. */
export async function action({ request }: ActionFunctionArgs) {
  const { db, viewer, station } = await authorize(request, "signed-in");
  await db.transaction(async (tx) => {
    await endAllSessions(tx, viewer.accountId);
    await recordAudit(tx, {
      stationId: station.id,
      actorAccountId: viewer.accountId,
      action: "account.sign_out_everywhere",
      targetType: "account",
      targetId: viewer.accountId,
    });
  });
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionToken(request) } });
}

export default function Account() {
  const t = useT();
  const { name, email, roles, devices } = useLoaderData<typeof loader>();
  return (
    <section className="panel narrow">
      <h1>{t("account.title")}</h1>
      <dl className="facts">
        <dt>{t("account.name")}</dt>
        <dd>{name}</dd>
        <dt>{t("account.email")}</dt>
        <dd>{email}</dd>
        <dt>{t("account.roles")}</dt>
        <dd>{roles.join(t("summary.listSeparator"))}</dd>
        <dt>{t("account.sessions")}</dt>
        <dd>{t("account.sessionsCount", { count: devices })}</dd>
      </dl>
      <Form method="post">
        <p className="help">{t("account.signOutEverywhereHelp")}</p>
        <button type="submit" className="button-danger">
          {t("account.signOutEverywhere")}
        </button>
      </Form>
    </section>
  );
}
