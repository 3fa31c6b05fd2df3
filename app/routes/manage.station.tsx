import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TEXT } from "#models/limits";
import { updateStationContact } from "#models/reach/station-contact";
import { authorize, ADMIN, forgetCurrentStation } from "~/lib/guard.server";
import { domainFormError, echoOf, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Field } from "~/components/field";
import { FormNotice, Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The station's phone and address, shown beside every "不方便上网？" hint. Admins keep them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  return { pageTitle: ctx.t("station.title"), phone: ctx.station.phone ?? "", address: ctx.station.address ?? "" };
}

const schema = z.object({ phone: fields.optionalPhone(), address: fields.optionalText(TEXT.address) });

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const formData = await readForm(request, ctx.t);
  const parsed = parseForm(formData, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors, echoOf(formData));
  try {
    await updateStationContact(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data);
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
  const [form, f] = useSchemaForm(schema, reply);
  const pending = usePending();
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
    </section>
  );
}
