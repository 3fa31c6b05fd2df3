import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createHousehold, memberLoads, reassignAllHouseholds, searchHouseholds } from "#models/care/households";
import { TEXT } from "#models/limits";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, fields, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { ConfirmAction } from "~/components/confirm-action";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

const param = (url: URL, name: string) => (url.searchParams.get(name) ?? "").slice(0, TEXT.search);

/**
 * 联系户管理 (staff): find households by label, address, a person's name or a phone; create one;
 * each member's load, and handing all of one member's households to another (ADR 19).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const url = new URL(request.url);
  const q = param(url, "q");
  const m = param(url, "m");
  const from = Number(url.searchParams.get("from")) || null;
  // ?caretaker=none: the households nobody looks after (the link in the coordinators' mail after an erasure).
  const noCaretaker = url.searchParams.get("caretaker") === "none";
  const [found, load] = await Promise.all([
    searchHouseholds(ctx.db, ctx.station.id, q, 50, { noCaretaker }),
    memberLoads(ctx.db, ctx.station.id, m, 100),
  ]);
  const giver = from === null ? null : ((await memberLoads(ctx.db, ctx.station.id)).find((l) => l.personId === from && l.households > 0) ?? null);
  return {
    pageTitle: ctx.t("care.manage.title"),
    q,
    m,
    noCaretaker,
    households: found,
    load,
    giver: giver ? { personId: giver.personId, fullName: giver.fullName, households: giver.households } : null,
  };
}

const intents = {
  create: z.object({ label: fields.text(TEXT.household), address: fields.optionalText(TEXT.address), landline: fields.optionalText(TEXT.phone) }),
  reassignAll: z.object({ fromId: fields.id(), toId: fields.id(), toName: fields.optionalText(TEXT.personName) }),
};

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const care = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (parsed.intent === "create") {
      await createHousehold(ctx.db, care, parsed.data);
      return { ok: true as const, message: ctx.t("care.created") };
    }
    await reassignAllHouseholds(ctx.db, care, parsed.data.fromId, parsed.data.toId);
    // The confirm step follows the redirect; the load panel shows the new counts.
    return redirect(`/manage/households?m=${encodeURIComponent(parsed.data.toName)}#load`);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

type Reply = { ok: true; message: string } | { ok: false; formError: string; fieldErrors?: Record<string, string> } | undefined;

export default function ManageHouseholds() {
  const t = useT();
  const { q, m, noCaretaker, households, load, giver } = useLoaderData<typeof loader>();
  const create = useFetcher<Reply>();
  const errors = create.data && !create.data.ok ? (create.data.fieldErrors ?? {}) : {};
  return (
    <section>
      <h1>{t("care.manage.title")}</h1>
      <p className="help">{t("care.manage.intro")}</p>
      <p>
        <Link to="/manage/households/import" className="tap-link">
          {t("care.import.link")}
        </Link>
      </p>
      <Form method="get" className="inline-form" role="search">
        <Field name="q" label={t("care.search")} help={t("care.searchHint")} defaultValue={q} maxLength={TEXT.search} type="search" />
        {noCaretaker ? <input type="hidden" name="caretaker" value="none" /> : null}
        <button type="submit" className="button-secondary">
          {t("care.searchButton")}
        </button>
      </Form>
      <p>
        {noCaretaker ? (
          <Link to={`/manage/households${q ? `?q=${encodeURIComponent(q)}` : ""}`} className="tap-link">
            {t("care.filter.all")}
          </Link>
        ) : (
          <Link to={`/manage/households?caretaker=none${q ? `&q=${encodeURIComponent(q)}` : ""}`} className="tap-link">
            {t("care.filter.noCaretaker")}
          </Link>
        )}
      </p>
      {households.length === 0 ? <p>{t("care.none")}</p> : null}
      <DataTable columns={[t("care.col.label"), t("care.col.caretaker"), t("care.col.consent"), t("care.col.people")]}>
        {households.map((h) => (
          <tr key={h.id}>
            <th scope="row">
              <Link to={`/manage/households/${h.id}`}>{h.label}</Link>
            </th>
            <td>{h.caretaker?.fullName ?? <span className="help">{t("care.noCaretaker")}</span>}</td>
            <td>{h.consent ? t("care.consentYes") : <strong>{t("care.consentNo")}</strong>}</td>
            <td>{h.peopleCount}</td>
          </tr>
        ))}
      </DataTable>
      <h2>{t("care.create")}</h2>
      <create.Form method="post" className="panel">
        <Field name="label" label={t("care.field.label")} required maxLength={TEXT.household} error={errors.label} />
        <Field name="address" label={t("care.field.address")} maxLength={TEXT.address} error={errors.address} />
        <Field name="landline" label={t("care.field.landline")} maxLength={TEXT.phone} error={errors.landline} type="tel" />
        <button type="submit" name="intent" value="create" className="button-primary" disabled={create.state !== "idle"}>
          {t("care.create")}
        </button>
        {create.data?.ok ? <Notice tone="ok">{create.data.message}</Notice> : <Notice tone="error">{create.data?.formError}</Notice>}
      </create.Form>
      <h2 id="load">{t("care.load.title")}</h2>
      <Form method="get" className="inline-form">
        <input type="hidden" name="q" value={q} />
        {giver ? <input type="hidden" name="from" value={giver.personId} /> : null}
        <Field name="m" label={t("care.load.filter")} defaultValue={m} maxLength={TEXT.search} type="search" />
        <button type="submit" className="button-secondary">
          {t("care.searchButton")}
        </button>
      </Form>
      <DataTable>
        {load.map((l) => (
          <tr key={l.personId}>
            <th scope="row">
              {l.fullName} {l.member ? null : <span className="help">({t("care.load.notMember")})</span>}
            </th>
            <td>{t("care.load.households", { n: l.households })}</td>
            <td>{t("care.load.people", { n: l.people })}</td>
            <td>
              {giver && l.member && l.personId !== giver.personId ? (
                <ConfirmAction
                  label={`${t("care.reassignAll")} ${l.fullName}`}
                  consequence={t("care.reassignAllConfirm", { name: giver.fullName, n: giver.households })}
                  confirmLabel={t("care.reassignAll")}
                  fields={{ intent: "reassignAll", fromId: giver.personId, toId: l.personId, toName: l.fullName }}
                />
              ) : !giver && l.households > 0 ? (
                <Link to={`?from=${l.personId}#load`}>{t("care.reassignAll")}…</Link>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
