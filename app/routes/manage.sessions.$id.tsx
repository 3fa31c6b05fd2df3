import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { CAPACITY, TEXT } from "#models/limits";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { DateTime } from "luxon";
import { z } from "zod";
import { getSession, updateSession } from "#models/sessions";
import { getActivity } from "#models/activities";
import { waitlistedPeople } from "#models/signups";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, fields, formError, notFound, parseId, parseForm, readForm } from "~/lib/http.server";
import { dateFormatter } from "~/lib/dates.server";
import { Field } from "~/components/field";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { ConfirmAction } from "~/components/confirm-action";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const session = await getSession(ctx.db, ctx.station.id, id);
  if (!session) throw notFound(ctx.t);
  const activity = await getActivity(ctx.db, ctx.station.id, session.activityId, ctx.station.timeZone);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    title: session.title,
    when: fmt.range(session.startsAt, session.endsAt),
    cancelled: session.status === "cancelled",
    // What cancelling it would touch, said before the second tap.
    confirmedPeople: session.taken,
    waitlistedPeople: (await waitlistedPeople(ctx.db, [id])).get(id) ?? 0,
    defaultCapacity: activity?.capacity ?? session.capacity,
    values: {
      date: fmt.localDate(session.startsAt),
      startTime: fmt.time(session.startsAt),
      endTime: fmt.time(session.endsAt),
      capacity: session.capacityOverridden ? String(session.capacity) : "",
      location: session.location === activity?.location ? "" : session.location,
    },
  };
}

const schema = z.object({
  intent: z.enum(["save", "cancel", "restore"], "field.choice"),
  date: fields.date(),
  startTime: fields.time(),
  endTime: fields.time(),
  capacity: fields.optionalInt(CAPACITY.min, CAPACITY.max).default(null),
  location: fields.optionalText(TEXT.location),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const parsed = parseForm(await readForm(request, ctx.t), schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const { intent, date, startTime, endTime, capacity, location } = parsed.data;
  const zone = ctx.station.timeZone;
  const startsAt = DateTime.fromISO(`${date}T${startTime}`, { zone });
  let endsAt = DateTime.fromISO(`${date}T${endTime}`, { zone });
  // An end time earlier than the start means the session runs past midnight.
  if (endsAt <= startsAt) endsAt = endsAt.plus({ days: 1 });
  const current = await getSession(ctx.db, ctx.station.id, id);
  if (!current) throw notFound(ctx.t);
  try {
    await updateSession(ctx.db, { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId }, id, {
      startsAt: startsAt.toJSDate(),
      endsAt: endsAt.toJSDate(),
      capacity,
      location: location || null,
      status: intent === "cancel" ? "cancelled" : intent === "restore" ? "scheduled" : current.status,
    });
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  return redirect(`/sessions/${id}`);
}

export default function EditSession() {
  const t = useT();
  const { title, when, cancelled, confirmedPeople, waitlistedPeople, defaultCapacity, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Save and restore are two buttons of one form: each says when it is the one sent.
  const saving = usePending({ intent: "save" });
  const restoring = usePending({ intent: "restore" });
  const errors = result && !result.ok ? result.fieldErrors : {};
  // The id from the address (the loader already checked it), so the loader's reply stays as it was.
  const { id } = useParams();
  return (
    <section className="panel">
      <h1>{t("editSession.title", { title })}</h1>
      <p>{when}</p>
      <p className="actions">
        <Link to={`/manage/sessions/${id}/roster`} className="button-secondary">
          {t("manage.rosterLink")}
        </Link>
      </p>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" noValidate>
        <div className="field-row">
          <Field name="date" type="date" label={t("editSession.date")} defaultValue={values.date} error={errors.date} required />
          <Field name="startTime" type="time" label={t("editSession.startTime")} defaultValue={values.startTime} error={errors.startTime} required />
          <Field name="endTime" type="time" label={t("editSession.endTime")} defaultValue={values.endTime} error={errors.endTime} required />
        </div>
        <Field
          name="capacity"
          inputMode="numeric"
          label={t("editSession.capacity", { default: defaultCapacity })}
          defaultValue={values.capacity}
          error={errors.capacity}
        />
        <Field name="location" label={t("editSession.location")} defaultValue={values.location} error={errors.location} maxLength={120} />
        <div className="actions">
          <SubmitButton pending={saving} disabled={restoring} name="intent" value="save">
            {t("editSession.save")}
          </SubmitButton>
          {cancelled ? (
            <SubmitButton pending={restoring} disabled={saving} name="intent" value="restore" className="button-secondary">
              {t("editSession.restore")}
            </SubmitButton>
          ) : null}
        </div>
      </Form>
      {cancelled ? null : (
        <>
          {/* Cancelling keeps the saved time and place: edits typed above are not part of it. */}
          <ConfirmAction
            label={t("editSession.cancel")}
            consequence={t("confirm.cancelSession", { confirmed: confirmedPeople, waitlisted: waitlistedPeople })}
            confirmLabel={t("confirm.cancelSessionGo")}
            fields={{ intent: "cancel", ...values }}
          />
          <p className="help">{t("editSession.cancelHelp")}</p>
        </>
      )}
      <p>
        <Link to="/manage">{t("manage.title")}</Link>
      </p>
    </section>
  );
}
