import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import callsStyles from "~/styles/calls.css?url";
import { authorize, DESK } from "~/lib/guard.server";
import { callAction, callPage, offerCallsView } from "~/lib/calls.server";
import { CallList } from "~/components/call-list";
import { OfferCalls } from "~/components/offer-calls";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: callsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * A caretaker's own call list: the people of the households in her care booked on the day
 * (tomorrow unless asked) whom no own email reaches. Staff see only their own households here;
 * the station's list is /manage/calls. Consultation slots held for them come first (ADR 26).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, DESK);
  // The consultation slots held for the people in her care that only a call reaches come first.
  return { pageTitle: ctx.t("calls.careTitle"), view: await callPage(ctx, request, "care"), offers: await offerCallsView(ctx, "care") };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, DESK);
  return callAction(ctx, request, "care");
}

export default function CareCalls() {
  const t = useT();
  const { view, offers } = useLoaderData<typeof loader>();
  return <CallList view={view} title={t("calls.careTitle")} urgent={<OfferCalls offers={offers} />} />;
}
