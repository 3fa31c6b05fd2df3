import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { createActivity } from "#models/activities";
import { listCategories } from "#models/categories";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { submitSeries } from "~/lib/series-form.server";
import { activityContext } from "~/lib/activity-context.server";
import { EMPTY_SERIES, SeriesForm, withSubmitted } from "~/components/series-form";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("series.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const categories = await listCategories(ctx.db, ctx.station.id);
  return {
    categories: categories.map((c) => ({ id: c.id, name: localName(ctx.locale, c) })),
    defaults: {
      ...EMPTY_SERIES,
      categoryId: String(categories[0]?.id ?? ""),
      startDate: DateTime.now().setZone(ctx.station.timeZone).toISODate()!,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const result = await submitSeries(ctx, await readForm(request, ctx.t), (input) => createActivity(ctx.db, activityContext(ctx), input));
  if (result.ok && "savedId" in result) return redirect(`/manage/activities/${result.savedId}?saved=1`);
  return data(result, { status: result.ok ? 200 : result.status });
}

export default function NewSeries() {
  const t = useT();
  const { categories, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitted = result && "values" in result ? result.values : undefined;
  return (
    <section className="panel">
      <h1>{t("series.newTitle")}</h1>
      <SeriesForm
        key={JSON.stringify(submitted ?? {})}
        values={withSubmitted(defaults, submitted)}
        categories={categories}
        errors={result && !result.ok ? result.fieldErrors : {}}
        formError={result && !result.ok ? result.formError : undefined}
        preview={result && result.ok && "preview" in result ? result.preview : undefined}
      />
    </section>
  );
}
