import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { PARTY_SIZE } from "#models/limits";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getSession } from "#models/sessions";
import { cancelSignup, signUp } from "#models/signups";
import { sessionState } from "#models/policies/signups";
import { authorize, STAFF } from "~/lib/guard.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { domainFormError, fields, notFound, parseId, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { sessionForPage, signupPanel } from "~/lib/signup-view.server";
import { SignupPanel } from "~/components/signup-panel";
import { BookingPicker } from "~/components/booking-picker";
import { bookFromPicker, bookSchema, pickerFor } from "~/lib/booking-picker.server";
import { PublicSubscribe } from "~/components/public-subscribe";
import { publicFeedLinks } from "~/lib/feed-links.server";
import { SessionStateText } from "~/components/session-state";
import { When } from "~/components/when";
import { DoneNotice, Notice } from "~/components/form";
import { dateFormatter } from "~/lib/dates.server";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.session.title : "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const id = parseId(params.id, ctx.t);
  const page = await sessionForPage(ctx, id);
  if (!page) throw notFound(ctx.t);
  const { session, rules } = page;
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    session: {
      id: session.id,
      activityId: session.activityId,
      title: session.title,
      category: localName(ctx.locale, { nameZh: session.categoryNameZh, nameEn: session.categoryNameEn }),
      color: session.color,
      when: fmt.range(session.startsAt, session.endsAt),
      location: session.location,
      leader: session.leader,
      description: session.description,
      capacity: session.capacity,
      // Cancelled, over, under way, full or open with places: one answer for every view.
      state: sessionState(session, new Date()),
      cancelled: session.status === "cancelled",
      moved: session.moved,
      backTo: `/calendar?month=${fmt.at(session.startsAt).toFormat("yyyy-MM")}`,
    },
    canManage: !!ctx.viewer?.roles.some((r) => STAFF.includes(r)),
    signup: await signupPanel(ctx, session, new Date(), rules),
    // Oneself, one's household and the households in one's care, ticked and booked at once (ADR 25).
    picker: await pickerFor(ctx, session, rules),
    // Its category's feed to subscribe to, and the session alone as a file.
    feed: await publicFeedLinks(request, session.categorySlug),
  };
}

const intents = {
  signup: z.object({ partySize: fields.int(PARTY_SIZE.min, PARTY_SIZE.max) }),
  cancel: z.object({ signupId: fields.id() }),
  book: bookSchema,
};

/**
 * Signing up or cancelling one's own place, or booking several of one's household and the
 * households in one's care (`book`); staff book anyone on the attendee pages.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const id = parseId(params.id, ctx.t);
  if (!(await getSession(ctx.db, ctx.station.id, id))) throw notFound(ctx.t);
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const signupCtx = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (parsed.intent === "book") return await bookFromPicker(ctx, id, parsed.data);
    // Each signup and cancel mails the person: a loop of them is limited per account.
    await spendMailBudgetOf(ctx, ctx.viewer.personId);
    if (parsed.intent === "signup") {
      const result = await signUp(ctx.db, signupCtx, { sessionId: id, personId: ctx.viewer.personId, partySize: parsed.data.partySize });
      return redirect(`/sessions/${id}?done=${result.status}`);
    }
    await cancelSignup(ctx.db, signupCtx, parsed.data.signupId, { sessionId: id, personId: ctx.viewer.personId });
    return redirect(`/sessions/${id}?done=cancelled`);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

const DONE = { confirmed: "signup.doneConfirmed", waitlisted: "signup.doneWaitlisted", cancelled: "signup.doneCancelled" } as const;

export default function SessionPage() {
  const t = useT();
  const { session, canManage, signup, picker, feed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const booked = result && result.ok && "booked" in result ? result.booked : undefined;
  return (
    <article className="panel session-page" style={{ borderTopColor: session.color }}>
      <p className="eyebrow">{session.category}</p>
      <h1>{session.title}</h1>
      <DoneNotice messages={DONE} hidden={!!result} />
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {session.cancelled ? (
        <Notice tone="warning">{t("session.cancelledNotice")}</Notice>
      ) : session.moved ? (
        <Notice>{t("session.movedNotice")}</Notice>
      ) : null}
      <dl className="facts">
        <dt>{t("session.when")}</dt>
        <dd>
          <When text={session.when} />
        </dd>
        {session.location ? (
          <>
            <dt>{t("session.where")}</dt>
            <dd>{session.location}</dd>
          </>
        ) : null}
        {session.leader ? (
          <>
            <dt>{t("session.leader")}</dt>
            <dd>{session.leader}</dd>
          </>
        ) : null}
        <dt>{t("session.placesLeft")}</dt>
        <dd>{session.state.kind === "open" ? `${session.state.placesLeft} / ${session.capacity}` : <SessionStateText state={session.state} />}</dd>
      </dl>
      {/* With the picker, one's own place is booked there too: the single button would be a second way. */}
      {picker && signup.kind === "open" ? null : <SignupPanel panel={signup} />}
      {picker ? <BookingPicker picker={picker} booked={booked} /> : null}
      <PublicSubscribe links={feed} category={session.category} oneEvent={`/sessions/${session.id}.ics`} />
      {session.description ? (
        <section>
          <h2>{t("session.about")}</h2>
          <p className="prose">{session.description}</p>
        </section>
      ) : null}
      <p className="actions no-print">
        <Link to={session.backTo} className="button-secondary">
          {t("session.back")}
        </Link>
        {canManage ? (
          <>
            <Link to={`/manage/sessions/${session.id}/attendees`} className="button-secondary">
              {t("session.attendees")}
            </Link>
            <Link to={`/manage/sessions/${session.id}`} className="button-secondary">
              {t("session.edit")}
            </Link>
            <Link to={`/manage/activities/${session.activityId}`} className="button-secondary">
              {t("session.editSeries")}
            </Link>
          </>
        ) : null}
      </p>
    </article>
  );
}
