import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { TEXT } from "#models/limits";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createCategory, listCategories } from "#models/categories";
import { authorize, ADMIN } from "~/lib/guard.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Field } from "~/components/field";
import { FormNotice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("categories.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  return { categories: await listCategories(ctx.db, ctx.station.id) };
}

const schema = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, "field.slug")
    .max(40, "field.slug"),
  nameZh: fields.text(TEXT.categoryNameZh),
  nameEn: fields.text(TEXT.categoryNameEn),
  color: z
    .string()
    .trim()
    .toLowerCase()
    // Either case as typed (the input's pattern is checked before lowering); stored lower.
    .regex(/^#[0-9a-fA-F]{6}$/, "field.color"),
});

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const parsed = parseForm(await readForm(request, ctx.t), schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    await createCategory(ctx.db, { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId }, parsed.data);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  return redirect("/manage/categories");
}

export default function Categories() {
  const t = useT();
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, result);
  const pending = usePending();
  return (
    <section className="panel">
      <h1>{t("categories.title")}</h1>
      <ul className="category-list">
        {categories.map((c) => (
          <li key={c.id}>
            <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
            {c.nameZh} · {c.nameEn} <code>{c.slug}</code>
          </li>
        ))}
      </ul>
      <h2>{t("categories.add")}</h2>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        <Field field={fields.slug} label={t("categories.slug")} />
        <div className="field-row">
          <Field field={fields.nameZh} label={t("categories.nameZh")} />
          <Field field={fields.nameEn} label={t("categories.nameEn")} />
        </div>
        <Field field={fields.color} label={t("categories.color")} defaultValue="#1d4ed8" />
        <SubmitButton pending={pending}>{t("categories.add")}</SubmitButton>
      </Form>
    </section>
  );
}
