import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import { authorize, DESK } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { tallyAction, tallyView } from "./desk.server";
import { Notice } from "~/components/form";
import { CheckinSearch } from "~/components/person-search";
import { useT } from "~/lib/view";
import deskStyles from "~/styles/desk.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: deskStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** Staff and the station's volunteers keep the tally (the model checks the role). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, DESK);
  return { pageTitle: ctx.t("tally.title"), ...(await tallyView(ctx, new URL(request.url).searchParams)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, DESK);
  return tallyAction(ctx, await readForm(request, ctx.t));
}

type Reply = { ok: true; message: string; forPerson?: boolean } | { ok: false; formError: string } | undefined;
type Line = ReturnType<typeof useLoaderData<typeof loader>>["lines"][number];

/** One service line's button: its own fetcher, so taps on different lines never wait for each other. */
function TallyButton({ line, count, personId }: { line: Line; count: number; personId: number | null }) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const reply = fetcher.data;
  const navigate = useNavigate();
  // A tap for a named resident is for that visit only: the next tap is anonymous again.
  useEffect(() => {
    if (fetcher.state === "idle" && reply?.ok && reply.forPerson) navigate("/desk", { replace: true });
  }, [fetcher.state, reply, navigate]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="serviceLineId" value={line.id} />
      <input type="hidden" name="count" value={count} />
      {personId ? <input type="hidden" name="personId" value={personId} /> : null}
      <button
        type="submit"
        name="intent"
        value="tally"
        className="button-primary tally-button"
        aria-label={t("tally.tapFor", { name: line.name, count })}
      >
        <span>{line.name}</span>
        <span className="tally-count">{t("tally.today", { count: line.today })}</span>
      </button>
      {reply && !reply.ok ? <Notice tone="error">{reply.formError}</Notice> : null}
    </fetcher.Form>
  );
}

function UndoTap({ id, label }: { id: number; label: string }) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const reply = fetcher.data;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="visitId" value={id} />
      <button
        type="submit"
        name="intent"
        value="undo"
        className="button-quiet"
        disabled={fetcher.state !== "idle"}
        aria-label={t("tally.undoFor", { what: label })}
      >
        {t("tally.undo")}
      </button>
      {reply && !reply.ok ? <Notice tone="error">{reply.formError}</Notice> : null}
    </fetcher.Form>
  );
}

/** The front desk's tally of drop-in visits: one tap per resident (or family) served. */
export default function Desk() {
  const t = useT();
  const { lines, total, recent, q, found, person } = useLoaderData<typeof loader>();
  const [count, setCount] = useState(1);
  return (
    <section>
      <h1>{t("tally.title")}</h1>
      <p className="checkin-figures" role="status">
        {t("tally.total", { count: total })}
      </p>
      <div className="field">
        <label htmlFor="tally-count">{t("tally.countLabel")}</label>
        <select id="tally-count" value={count} onChange={(e) => setCount(Number(e.target.value))}>
          {[1, 2, 3, 4, 5, 6].map((n) => (
            <option key={n} value={n}>
              {t("tally.countOption", { count: n })}
            </option>
          ))}
        </select>
      </div>
      {person ? (
        <Notice>
          {t("tally.forPerson", { name: person.name })}{" "}
          <Link to="/desk" replace>
            {t("tally.forNobody")}
          </Link>
        </Notice>
      ) : (
        <details className="tally-person" open={q !== ""}>
          <summary>{t("tally.pickPerson")}</summary>
          <CheckinSearch id="tally-q" query={q} maxLength={50} />
          {q && found.length === 0 ? <p className="empty">{t("proxy.noResults")}</p> : null}
          <ul className="tally-recent">
            {found.map((p) => (
              <li key={p.id}>
                <span>
                  {p.name}
                  {p.born ? ` · ${t("proxy.born", { year: p.born })}` : ""}
                  {p.phoneLast4 ? ` · ${t("checkin.phoneEnds", { digits: p.phoneLast4 })}` : ""}
                </span>
                <Link to={`/desk?person=${p.id}`} replace className="button-secondary" aria-label={t("tally.chooseFor", { name: p.name })}>
                  {t("tally.choose")}
                </Link>
              </li>
            ))}
          </ul>
        </details>
      )}
      {lines.length === 0 ? <p className="empty">{t("tally.noLines")}</p> : null}
      <div className="tally-grid">
        {lines.map((line) => (
          <TallyButton key={line.id} line={line} count={count} personId={person?.id ?? null} />
        ))}
      </div>
      <h2>{t("tally.recent")}</h2>
      {recent.length === 0 ? (
        <p className="empty">{t("tally.noneToday")}</p>
      ) : (
        <ul className="tally-recent">
          {recent.map((v) => {
            const label = t("tally.entry", { at: v.at, name: v.name, count: v.count });
            return (
              <li key={v.id}>
                <span>{label}</span>
                {v.mine ? <UndoTap id={v.id} label={label} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
