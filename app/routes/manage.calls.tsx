import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import callsStyles from "~/styles/calls.css?url";
import { authorize, STAFF } from "~/lib/guard.server";
import { callAction, callPage, offerCallsView } from "~/lib/calls.server";
import { CallList } from "~/components/call-list";
import { OfferCalls } from "~/components/offer-calls";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: callsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The whole station's call list for a day (tomorrow unless asked): everyone booked whom no own email reaches. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return { pageTitle: ctx.t("calls.title"), view: await callPage(ctx, request), offers: await offerCallsView(ctx) };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return callAction(ctx, request);
}

export default function ManageCalls() {
  const t = useT();
  const { view, offers } = useLoaderData<typeof loader>();
  return (
    <>
      <CallList view={view} title={t("calls.title")} urgent={<OfferCalls offers={offers} />} />
      <p className="actions no-print">
        <Link to="/manage/calls/not-reached" className="button-secondary">
          {t("calls.notReachedLink")}
        </Link>
      </p>
    </>
  );
}
