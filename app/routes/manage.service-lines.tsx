import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { archiveServiceLine, createServiceLine, listServiceLines } from "#models/desk/service-lines";
import { SERVICE_LINE_TEXT } from "#models/limits";
import { authorize, ADMIN } from "~/lib/guard.server";
import { domainFormError, fields, formError, parseForm, readForm } from "~/lib/http.server";
import { ConfirmAction } from "~/components/confirm-action";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The drop-in service lines the tally counts; admins keep the list (a removed line stays in past reports). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const lines = await listServiceLines(ctx.db, ctx.station.id);
  return {
    pageTitle: ctx.t("lines.title"),
    lines: lines.map((l) => ({ id: l.id, name: localName(ctx.locale, l), nameZh: l.nameZh, nameEn: l.nameEn, reportingLine: l.reportingLine })),
  };
}

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      nameZh: fields.text(SERVICE_LINE_TEXT.name),
      nameEn: fields.text(SERVICE_LINE_TEXT.nameEn),
      reportingLine: fields.text(SERVICE_LINE_TEXT.reportingLine),
    }),
    z.object({ intent: z.literal("remove"), lineId: fields.id() }),
  ],
  "field.choice",
);

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const parsed = parseForm(await readForm(request, ctx.t), schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  const input = parsed.data;
  const desk = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (input.intent === "create") {
      const line = await createServiceLine(ctx.db, desk, input);
      return { ok: true as const, message: ctx.t("lines.added", { name: localName(ctx.locale, line) }) };
    }
    await archiveServiceLine(ctx.db, desk, input.lineId);
    return { ok: true as const, message: ctx.t("lines.removed") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

type Reply = { ok: true; message: string } | { ok: false; formError: string; fieldErrors?: Record<string, string> } | undefined;

export default function ServiceLines() {
  const t = useT();
  const { lines } = useLoaderData<typeof loader>();
  const add = useFetcher<Reply>();
  const reply = add.data;
  const errors = reply && !reply.ok ? (reply.fieldErrors ?? {}) : {};
  return (
    <section>
      <h1>{t("lines.title")}</h1>
      <p className="help">{t("lines.help")}</p>
      <DataTable columns={[t("lines.name"), t("report.reportingLine"), { label: t("lines.remove"), hidden: true }]}>
        {lines.map((l) => (
          <tr key={l.id}>
            <th scope="row">
              {l.nameZh} <span className="help">{l.nameEn}</span>
            </th>
            <td>{l.reportingLine}</td>
            <td>
              <ConfirmAction
                label={t("lines.remove")}
                ariaLabel={t("lines.removeNamed", { name: l.name })}
                consequence={t("lines.removeConsequence", { name: l.name })}
                confirmLabel={t("lines.removeGo")}
                fields={{ intent: "remove", lineId: l.id }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <h2>{t("lines.add")}</h2>
      <add.Form method="post" className="panel">
        <Field name="nameZh" label={t("categories.nameZh")} required maxLength={SERVICE_LINE_TEXT.name} error={errors.nameZh} />
        <Field name="nameEn" label={t("categories.nameEn")} required maxLength={SERVICE_LINE_TEXT.nameEn} error={errors.nameEn} />
        <Field
          name="reportingLine"
          label={t("report.reportingLine")}
          help={t("lines.reportingHelp")}
          required
          maxLength={SERVICE_LINE_TEXT.reportingLine}
          error={errors.reportingLine}
        />
        <button type="submit" name="intent" value="create" className="button-primary" disabled={add.state !== "idle"}>
          {t("lines.addGo")}
        </button>
        {reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>}
      </add.Form>
      <p className="actions">
        <Link to="/desk" className="button-secondary">
          {t("tally.title")}
        </Link>
      </p>
    </section>
  );
}
