import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { commitImport, previewImport } from "#models/care/import";
import { IMPORT, IMPORT_BODY_BYTES } from "#models/limits";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, formError, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { previewView, type PreviewView } from "./care-import.server";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

const MIB = Math.round(IMPORT.maxFileBytes / 1024 / 1024);

/** 导入联系户 (staff): a CSV of households and people, previewed row by row, then imported all at once (ADR 24). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return { pageTitle: ctx.t("care.import.title") };
}

const intents = {
  preview: z.object({}),
  commit: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, "field.choice") }),
};

type Reply =
  { ok: true; done?: string; preview?: PreviewView } | { ok: false; formError: string; fieldErrors?: Record<string, string>; preview?: PreviewView };

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  // This route alone reads a body past MAX_BODY_BYTES: the file (IMPORT.maxFileBytes) and two small fields.
  const form = await readForm(request, ctx.t, IMPORT_BODY_BYTES);
  const parsed = parseIntent(form, intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return formError(400, ctx.t("care.import.noFile"));
  if (file.size > IMPORT.maxFileBytes) return formError(413, ctx.t("care.import.tooLarge", { mib: MIB }));
  const bytes = new Uint8Array(await file.arrayBuffer());
  const care = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (parsed.intent === "preview") {
      const preview = previewView(await previewImport(ctx.db, care, bytes), ctx.t, ctx.locale);
      return { ok: true as const, preview } satisfies Reply;
    }
    const result = await commitImport(ctx.db, care, bytes, parsed.data.sha256);
    if (!result.ok) {
      const preview = previewView(result.plan, ctx.t, ctx.locale);
      return data({ ok: false as const, formError: ctx.t("care.import.problems", { n: preview.problemCount }), preview } satisfies Reply, 422);
    }
    const c = result.counts;
    const done = ctx.t("care.import.done", {
      households: c.householdsCreated,
      people: c.peopleCreated,
      hFilled: c.householdsFilled,
      pFilled: c.peopleFilled,
      consents: c.consentsRecorded,
    });
    return { ok: true as const, done } satisfies Reply;
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function ImportHouseholds() {
  const t = useT();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  // Without JavaScript the page is drawn anew and the file input is empty: the file is chosen again.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const preview = reply?.preview;
  const ready = preview && preview.problemCount === 0 && !preview.nothingToDo;
  return (
    <section>
      <p>
        <Link to="/manage/households">← {t("care.manage.title")}</Link>
      </p>
      <h1>{t("care.import.title")}</h1>
      <p className="help">{t("care.import.intro")}</p>
      <p className="help">{t("care.import.columns")}</p>
      <p>
        <a href="/manage/households/import.csv" download>
          {t("care.import.template")}
        </a>
      </p>
      <Form method="post" encType="multipart/form-data" className="panel">
        <div className="field">
          <label htmlFor="f-file">{t("care.import.file")}</label>
          <input id="f-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="f-file-help" />
          <p id="f-file-help" className="help">
            {t("care.import.fileHelp", { rows: IMPORT.maxRows, mib: MIB })}
          </p>
        </div>
        {ready ? <input type="hidden" name="sha256" value={preview.sha256} /> : null}
        <div className="inline-form">
          <button type="submit" name="intent" value="preview" className={ready ? "button-secondary" : "button-primary"} disabled={!!sending}>
            {sending === "preview" ? t("form.pending") : t("care.import.preview")}
          </button>
          {ready ? (
            <button type="submit" name="intent" value="commit" className="button-primary" disabled={!!sending}>
              {sending === "commit" ? t("form.pending") : t("care.import.commit", { n: preview.rowCount })}
            </button>
          ) : null}
        </div>
        {ready && !hydrated ? <p className="help">{t("care.import.reselect")}</p> : null}
      </Form>
      {reply?.ok && reply.done ? <Notice tone="ok">{reply.done}</Notice> : null}
      {reply && !reply.ok ? <Notice tone="error">{reply.formError}</Notice> : null}
      {preview ? <Preview preview={preview} /> : null}
    </section>
  );
}

function Preview({ preview }: { preview: PreviewView }) {
  const t = useT();
  return (
    <>
      {preview.summary ? <p>{preview.summary}</p> : null}
      {preview.problemCount > 0 ? (
        <>
          <Notice tone="error">{t("care.import.problems", { n: preview.problemCount })}</Notice>
          <ul className="import-problems">
            {preview.problems.map((p, i) => (
              <li key={i}>{p.row ? <a href={`#row-${p.row}`}>{p.text}</a> : p.text}</li>
            ))}
          </ul>
        </>
      ) : preview.nothingToDo ? (
        <Notice tone="info">{t("care.import.nothing")}</Notice>
      ) : (
        <Notice tone="ok">
          {t("care.import.clean")} {preview.plan}
        </Notice>
      )}
      {preview.rows.length > 0 ? (
        <DataTable
          columns={[
            t("care.import.col.row"),
            t("care.import.col.household"),
            t("care.import.col.person"),
            t("care.col.caretaker"),
            t("care.import.col.result"),
          ]}
        >
          {preview.rows.map((r) => (
            <tr key={r.row} id={`row-${r.row}`} className={r.problems.length ? "row-problem" : undefined}>
              <th scope="row">{r.row}</th>
              <td>{r.label}</td>
              <td>
                {r.name} {r.birthYear ? t("care.birthYear", { year: r.birthYear }) : null} {r.phone}
              </td>
              <td>{r.caretaker}</td>
              <td>{r.problems.length ? <strong className="field-error">{r.problems.join(" ")}</strong> : `${r.household} / ${r.person}`}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
