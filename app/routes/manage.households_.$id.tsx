import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getHousehold, memberLoads, movePerson, requireHousehold, searchHouseholds, setCaretaker, updateHousehold } from "#models/care/households";
import { CONSENT_METHODS, consentHistory, recordConsent, withdrawConsent } from "#models/care/consent";
import { searchPeople } from "#models/people";
import { TEXT } from "#models/limits";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, fields, notFound, parseId, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { dateFormatter } from "~/lib/dates.server";
import { ConfirmAction } from "~/components/confirm-action";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

const param = (url: URL, name: string) => (url.searchParams.get(name) ?? "").slice(0, TEXT.search);

/** One household (staff): its details, people, caretaker and consent with its history (ADR 19). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const household = await getHousehold(ctx.db, ctx.station.id, id);
  if (!household) throw notFound(ctx.t);
  const url = new URL(request.url);
  const [hq, pq, cq] = [param(url, "hq"), param(url, "pq"), param(url, "cq")];
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const at = (d: Date) => `${fmt.day(d)} ${fmt.time(d)}`;
  const [history, targets, found, members] = await Promise.all([
    consentHistory(ctx.db, ctx.station.id, id),
    hq ? searchHouseholds(ctx.db, ctx.station.id, hq, 10) : [],
    pq ? searchPeople(ctx.db, ctx.station.id, pq, 10) : [],
    cq ? memberLoads(ctx.db, ctx.station.id, cq, 10) : [],
  ]);
  return {
    pageTitle: household.label,
    methods: CONSENT_METHODS,
    household: { ...household, people: household.people.map((p) => ({ id: p.id, fullName: p.fullName, phone: p.phone, birthYear: p.birthYear })) },
    query: { hq, pq, cq },
    consent: history.map((c) => ({
      id: c.id,
      active: c.withdrawnAt === null,
      line: ctx.t("care.consentLine", {
        when: at(c.givenAt),
        who: c.recordedBy ?? ctx.t("care.unknown"),
        how: ctx.t(`care.method.${c.method}`),
        caretaker: c.caretaker ?? ctx.t("care.unknown"),
      }),
      ended: c.withdrawnAt ? ctx.t("care.consentEnded", { when: at(c.withdrawnAt), who: c.withdrawnBy ?? ctx.t("care.unknown") }) : null,
    })),
    targets: targets.filter((h) => h.id !== id).map((h) => ({ id: h.id, label: h.label })),
    // The picker: name, birth year and phone tell two people of one name apart; those already here are left out.
    found: found
      .filter((p) => !household.people.some((m) => m.id === p.id))
      .map((p) => ({ id: p.id, fullName: p.fullName, birthYear: p.birthYear, phone: p.phone, household: p.household })),
    members: members.filter((m) => m.member).map((m) => ({ id: m.personId, fullName: m.fullName, households: m.households })),
  };
}

const optionalId = z.union([z.literal(""), fields.id()]).transform((v) => (v === "" ? null : v));
const intents = {
  update: z.object({ label: fields.text(TEXT.household), address: fields.optionalText(TEXT.address), landline: fields.optionalText(TEXT.phone) }),
  move: z.object({ personId: fields.id(), householdId: optionalId }),
  caretaker: z.object({ caretakerId: optionalId }),
  consent: z.object({ method: z.enum(CONSENT_METHODS, "field.choice") }),
  withdraw: z.object({}),
};

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const care = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    await requireHousehold(ctx.db, ctx.station.id, id);
    switch (parsed.intent) {
      case "update":
        await updateHousehold(ctx.db, care, id, parsed.data);
        return { ok: true as const, message: ctx.t("care.saved") };
      case "move":
        await movePerson(ctx.db, care, parsed.data.personId, parsed.data.householdId);
        return { ok: true as const, message: ctx.t("care.moved") };
      case "caretaker":
        await setCaretaker(ctx.db, care, id, parsed.data.caretakerId);
        return { ok: true as const, message: ctx.t("care.caretakerSet") };
      case "consent":
        await recordConsent(ctx.db, care, id, parsed.data.method);
        return { ok: true as const, message: ctx.t("care.consentRecorded") };
      case "withdraw":
        await withdrawConsent(ctx.db, care, id);
        return { ok: true as const, message: ctx.t("care.withdrawn") };
    }
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

type Reply = { ok: true; message: string } | { ok: false; formError: string; fieldErrors?: Record<string, string> } | undefined;

function Reply({ reply }: { reply: Reply }) {
  return reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>;
}

export default function ManageHousehold() {
  const t = useT();
  const { household, query, consent, targets, found, members, methods } = useLoaderData<typeof loader>();
  const edit = useFetcher<Reply>();
  const act = useFetcher<Reply>();
  const errors = edit.data && !edit.data.ok ? (edit.data.fieldErrors ?? {}) : {};
  const active = consent.find((c) => c.active);
  return (
    <section>
      <h1>{household.label}</h1>
      <h2>{t("care.edit")}</h2>
      <edit.Form method="post" className="panel">
        <Field name="label" label={t("care.field.label")} required maxLength={TEXT.household} defaultValue={household.label} error={errors.label} />
        <Field
          name="address"
          label={t("care.field.address")}
          maxLength={TEXT.address}
          defaultValue={household.address ?? ""}
          error={errors.address}
        />
        <Field
          name="landline"
          label={t("care.field.landline")}
          maxLength={TEXT.phone}
          defaultValue={household.landline ?? ""}
          type="tel"
          error={errors.landline}
        />
        <button type="submit" name="intent" value="update" className="button-primary" disabled={edit.state !== "idle"}>
          {t("care.save")}
        </button>
        <Reply reply={edit.data} />
      </edit.Form>

      <h2>{t("care.people")}</h2>
      <Reply reply={act.data} />
      {household.people.length === 0 ? <p>{t("care.noPeople")}</p> : null}
      <SearchForm name="hq" query={query} label={t("care.moveTo")} help={t("care.findHousehold")} />
      <ul>
        {household.people.map((p) => (
          <li key={p.id}>
            <strong>{p.fullName}</strong> {p.birthYear ? t("care.birthYear", { year: p.birthYear }) : null} {p.phone}
            {targets.length > 0 ? (
              <act.Form method="post" className="inline-form">
                <input type="hidden" name="personId" value={p.id} />
                <label>
                  {t("care.moveTo")}{" "}
                  <select name="householdId">
                    {targets.map((h) => (
                      <option key={h.id} value={h.id}>
                        {h.label}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" name="intent" value="move" className="button-secondary">
                  {t("care.movePerson")}
                </button>
              </act.Form>
            ) : null}
            <ConfirmAction
              label={t("care.moveOut")}
              ariaLabel={`${t("care.moveOut")} ${p.fullName}`}
              consequence={t("care.moveOutConfirm", { name: p.fullName })}
              confirmLabel={t("care.moveOut")}
              fields={{ intent: "move", personId: p.id, householdId: "" }}
            />
          </li>
        ))}
      </ul>
      <SearchForm name="pq" query={query} label={t("care.addPerson")} help={t("care.addPersonHint")} />
      <ul>
        {found.map((p) => (
          <li key={p.id}>
            <act.Form method="post" className="inline-form">
              {p.fullName} {p.birthYear ? t("care.birthYear", { year: p.birthYear }) : null} {p.phone}{" "}
              <span className="help">({p.household ?? t("care.noHousehold")})</span>
              <input type="hidden" name="personId" value={p.id} />
              <input type="hidden" name="householdId" value={household.id} />
              <button type="submit" name="intent" value="move" className="button-secondary" aria-label={`${t("care.addPersonButton")} ${p.fullName}`}>
                {t("care.addPersonButton")}
              </button>
            </act.Form>
          </li>
        ))}
      </ul>

      <h2>{t("care.caretaker")}</h2>
      <p>{household.caretaker?.fullName ?? t("care.noCaretaker")}</p>
      {household.caretaker ? (
        <ConfirmAction
          label={t("care.removeCaretaker")}
          consequence={t("care.setCaretakerConfirm")}
          confirmLabel={t("care.removeCaretaker")}
          fields={{ intent: "caretaker", caretakerId: "" }}
        />
      ) : null}
      <SearchForm name="cq" query={query} label={t("care.findMember")} />
      <ul>
        {members
          .filter((m) => m.id !== household.caretaker?.id)
          .map((m) => (
            <li key={m.id}>
              {m.fullName} · {t("care.load.households", { n: m.households })}
              <ConfirmAction
                label={t("care.setCaretaker")}
                ariaLabel={`${t("care.setCaretaker")} ${m.fullName}`}
                consequence={t("care.setCaretakerConfirm")}
                confirmLabel={t("care.setCaretaker")}
                fields={{ intent: "caretaker", caretakerId: m.id }}
              />
            </li>
          ))}
      </ul>

      <h2>{t("care.consent")}</h2>
      {active ? (
        <>
          <p>
            <strong>{t("care.consentActive")}</strong> · {active.line}
          </p>
          <ConfirmAction
            label={t("care.withdraw")}
            consequence={t("care.withdrawConfirm")}
            confirmLabel={t("care.withdraw")}
            fields={{ intent: "withdraw" }}
          />
        </>
      ) : household.caretaker ? (
        <act.Form method="post" className="inline-form">
          <p>{t("care.consentNone")}</p>
          <label>
            {t("care.field.method")}{" "}
            <select name="method">
              {methods.map((m) => (
                <option key={m} value={m}>
                  {t(`care.method.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" name="intent" value="consent" className="button-primary">
            {t("care.recordConsent")}
          </button>
        </act.Form>
      ) : (
        <p>{t("care.consentNeedsCaretaker")}</p>
      )}
      <ul>
        {consent
          .filter((c) => !c.active)
          .map((c) => (
            <li key={c.id}>
              {c.line}; {c.ended}
            </li>
          ))}
      </ul>
    </section>
  );
}

const SEARCHES = ["hq", "pq", "cq"] as const;

/** One of the page's three searches; it sends the other two along, so their lists stay as they were. */
function SearchForm({
  name,
  query,
  label,
  help,
}: {
  name: (typeof SEARCHES)[number];
  query: Record<(typeof SEARCHES)[number], string>;
  label: string;
  help?: string;
}) {
  const t = useT();
  return (
    <Form method="get" className="inline-form">
      {SEARCHES.filter((other) => other !== name).map((other) => (
        <input key={other} type="hidden" name={other} value={query[other]} />
      ))}
      <Field name={name} label={label} help={help} defaultValue={query[name]} maxLength={TEXT.search} type="search" />
      <button type="submit" className="button-secondary">
        {t("care.searchButton")}
      </button>
    </Form>
  );
}
