import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RETENTION, TEXT } from "#models/limits";
import { updateStationContact } from "#models/reach/station-contact";
import { getRetentionSettings, listRetentionRuns, updateRetentionSettings } from "#models/privacy/retention";
import { authorize, ADMIN, forgetCurrentStation } from "~/lib/guard.server";
import { domainFormError, echoOf, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { dateFormatter } from "~/lib/dates.server";
import { Field } from "~/components/field";
import { FormNotice, Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The station's phone and address, shown beside every "不方便上网？" hint, and how long personal data is kept (ADR 23). Admins keep them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const [retention, runs] = await Promise.all([getRetentionSettings(ctx.db, ctx.station.id), listRetentionRuns(ctx.db, ctx.station.id)]);
  return {
    pageTitle: ctx.t("station.title"),
    phone: ctx.station.phone ?? "",
    address: ctx.station.address ?? "",
    retention,
    runs: runs.map((r) => ({ day: r.runDay, finished: r.finishedAt ? fmt.time(r.finishedAt) : null, ...r.counts })),
  };
}

const schema = z.object({ phone: fields.optionalPhone(), address: fields.optionalText(TEXT.address) });
/** The three retention periods, in the order the form shows them (each a number of days). */
const RETENTION_FIELDS = ["mailDays", "detailDays", "walkInDays"] as const;

const retentionSchema = z.object({
  mailDays: fields.int(RETENTION.mailDays.min, RETENTION.mailDays.max),
  detailDays: fields.int(RETENTION.detailDays.min, RETENTION.detailDays.max),
  walkInDays: fields.int(RETENTION.walkInDays.min, RETENTION.walkInDays.max),
});

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const formData = await readForm(request, ctx.t);
  const actor = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (formData.get("intent") === "retention") {
      const parsed = parseForm(formData, retentionSchema, ctx.t);
      if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors, echoOf(formData));
      await updateRetentionSettings(ctx.db, actor, parsed.data);
      return { ok: true as const, message: ctx.t("retention.saved") };
    }
    const parsed = parseForm(formData, schema, ctx.t);
    if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors, echoOf(formData));
    await updateStationContact(ctx.db, actor, parsed.data);
    forgetCurrentStation(ctx.db);
    return { ok: true as const, message: ctx.t("station.saved") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function StationSettings() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [form, f] = useSchemaForm(schema, reply, { id: "contact" });
  const [keepForm, k] = useSchemaForm(retentionSchema, reply, { id: "retention" });
  const pending = usePending();
  const keeping = usePending({ intent: "retention" });
  return (
    <section className="panel narrow">
      <h1>{t("station.title")}</h1>
      <p className="help">{t("station.help")}</p>
      <FormNotice form={form} />
      {reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : null}
      <Form method="post" {...schemaFormProps(form)}>
        <Field field={f.phone} type="tel" label={t("station.phone")} defaultValue={data.phone} />
        <Field field={f.address} label={t("station.address")} defaultValue={data.address} />
        <SubmitButton pending={pending}>{t("station.save")}</SubmitButton>
      </Form>

      <section aria-labelledby="retention-title">
        <h2 id="retention-title">{t("retention.title")}</h2>
        <p className="help">{t("retention.help")}</p>
        <FormNotice form={keepForm} />
        <Form method="post" {...schemaFormProps(keepForm)}>
          <input type="hidden" name="intent" value="retention" />
          {RETENTION_FIELDS.map((name) => (
            <Field
              key={name}
              field={k[name]}
              type="number"
              inputMode="numeric"
              label={t(`retention.${name}`)}
              defaultValue={String(data.retention[name])}
            />
          ))}
          <SubmitButton pending={keeping}>{t("retention.save")}</SubmitButton>
        </Form>
        <h3>{t("retention.runs")}</h3>
        {data.runs.length ? (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("retention.day")}</th>
                <th scope="col">{t("retention.mailBodies")}</th>
                <th scope="col">{t("retention.auditDetails")}</th>
                <th scope="col">{t("retention.logins")}</th>
                <th scope="col">{t("retention.walkIns")}</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((run) => (
                <tr key={run.day}>
                  <th scope="row">{run.finished ? run.day : `${run.day} (${t("retention.running")})`}</th>
                  <td>{run.mailBodies}</td>
                  <td>{run.auditDetails}</td>
                  <td>{run.logins}</td>
                  <td>{run.walkInsAnonymised}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t("retention.noRuns")}</p>
        )}
      </section>
    </section>
  );
}
