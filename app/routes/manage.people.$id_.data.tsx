import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { orPageError, parseId } from "~/lib/http.server";
import { dataSections, loadPersonalData } from "~/lib/personal-data.server";
import { PersonalDataSections } from "~/components/personal-data";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.name ?? "Hearth" }];

/**
 * A person's data produced at the desk for someone who asks (ADR 22): the same sections as
 * their own 我的数据, without consultation topics; the request is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const data = await orPageError(loadPersonalData(ctx, personId, "desk", "page"), ctx.t);
  return { personId, name: data.person.fullName, sections: dataSections(ctx, data) };
}

export default function PersonData() {
  const t = useT();
  const { personId, name, sections } = useLoaderData<typeof loader>();
  return (
    <section className="panel narrow">
      <h1>{t("data.titleFor", { name })}</h1>
      <p className="help">{t("data.deskIntro")}</p>
      <p className="actions">
        <a href={`/manage/people/${personId}/data.json`} className="button-secondary" download>
          {t("data.downloadJson")}
        </a>{" "}
        <a href={`/manage/people/${personId}/data.csv`} className="button-secondary" download>
          {t("data.downloadCsv")}
        </a>
      </p>
      <p>
        <Link to={`/manage/people/${personId}`} className="tap-link">
          {t("person.backToPerson")}
        </Link>
      </p>
      <PersonalDataSections sections={sections} />
    </section>
  );
}
