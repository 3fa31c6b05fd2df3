import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { dataSections, loadPersonalData } from "~/lib/personal-data.server";
import { PersonalDataSections } from "~/components/personal-data";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("data.title");

/** 我的数据: everything the station holds about the signed-in person, in plain words, and its downloads (ADR 22). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const data = await loadPersonalData(ctx, ctx.viewer.personId, "self", "page");
  return { sections: dataSections(ctx, data) };
}

export default function MyData() {
  const t = useT();
  const { sections } = useLoaderData<typeof loader>();
  return (
    <section className="panel narrow">
      <h1>{t("data.title")}</h1>
      <p className="help">{t("data.intro")}</p>
      <p className="actions">
        <a href="/account/data.json" className="button-secondary" download>
          {t("data.downloadJson")}
        </a>{" "}
        <a href="/account/data.csv" className="button-secondary" download>
          {t("data.downloadCsv")}
        </a>
      </p>
      <p>
        <Link to="/account/details" className="tap-link">
          {t("data.correctLink")}
        </Link>{" "}
        ·{" "}
        <Link to="/account/consents" className="tap-link">
          {t("consent.myTitle")}
        </Link>
      </p>
      <PersonalDataSections sections={sections} />
    </section>
  );
}
