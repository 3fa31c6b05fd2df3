import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { getActivity, updateActivity } from "#models/activities";
import { listSeriesOccurrences } from "#models/series-occurrences";
import { listCategories } from "#models/categories";
import { authorize, STAFF } from "~/lib/guard.server";
import { notFound, parseId, readForm } from "~/lib/http.server";
import { previewOf, submitSeries, toFormValues } from "~/lib/series-form.server";
import { activityContext } from "~/lib/activity-context.server";
import { occurrencesView, parsePastPage, PAST_PAGE_SIZE } from "~/lib/series-occurrences.server";
import { SeriesOccurrences } from "~/components/series-occurrences";
import { SeriesForm, withSubmitted } from "~/components/series-form";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";
import { Notice } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const activity = await getActivity(ctx.db, ctx.station.id, id, ctx.station.timeZone);
  if (!activity) throw notFound(ctx.t);
  const pastPage = parsePastPage(ctx, new URL(request.url).searchParams.get("past"));
  const [categories, occurrences] = await Promise.all([
    listCategories(ctx.db, ctx.station.id),
    listSeriesOccurrences(ctx.db, ctx.station.id, id, { pastOffset: (pastPage - 1) * PAST_PAGE_SIZE, pastLimit: PAST_PAGE_SIZE }),
  ]);
  return {
    title: activity.title,
    categories: categories.map((c) => ({ id: c.id, name: localName(ctx.locale, c) })),
    values: toFormValues(activity),
    preview: previewOf(ctx, activity),
    occurrences: occurrencesView(ctx, occurrences, pastPage),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const result = await submitSeries(ctx, await readForm(request, ctx.t), async (input) => {
    await updateActivity(ctx.db, activityContext(ctx), id, input);
    return id;
  });
  if (result.ok && "savedId" in result) return redirect(`/manage/activities/${id}?saved=1`);
  return data(result, { status: result.ok ? 200 : result.status });
}

export default function EditSeries() {
  const t = useT();
  const { title, categories, values, preview, occurrences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const submitted = result && "values" in result ? result.values : undefined;
  // The id from the address (the loader already checked it), so the loader's reply stays as it was.
  const { id } = useParams();
  return (
    <section className="panel">
      <h1>{t("series.editTitle", { title })}</h1>
      <p className="actions">
        <Link to={`/manage/activities/${id}/needs`} className="button-secondary">
          {t("manage.needsLink")}
        </Link>
      </p>
      {params.get("saved") && !result ? <Notice>{t("series.saved")}</Notice> : null}
      <SeriesOccurrences {...occurrences} />
      <h2>{t("series.editRules")}</h2>
      <SeriesForm
        key={JSON.stringify(submitted ?? values)}
        values={withSubmitted(values, submitted)}
        categories={categories}
        errors={result && !result.ok ? result.fieldErrors : {}}
        formError={result && !result.ok ? result.formError : undefined}
        preview={result && result.ok && "preview" in result ? result.preview : preview}
      />
    </section>
  );
}
