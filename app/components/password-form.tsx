import type { FieldMetadata, FormMetadata } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { FormNotice, schemaFormProps, SubmitButton, usePending } from "~/components/form";

interface PasswordField {
  field: FieldMetadata<unknown>;
  label: string;
  help?: string;
}

/**
 * The form that asks for one's password: the password page (the current one, when there is one,
 * and the new one) and the erase page (the current one, to confirm). One component, so both ask
 * alike: the browser's password manager fills the current one and offers to save the new one.
 */
export function PasswordForm<T extends Record<string, unknown>>({
  form,
  current,
  next,
  submit,
  danger = false,
}: {
  form: FormMetadata<T>;
  current?: PasswordField;
  next?: PasswordField;
  submit: string;
  /** A destructive confirmation (erasing oneself): the red button. */
  danger?: boolean;
}) {
  const pending = usePending();
  return (
    <>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        {current ? <Field field={current.field} type="password" autoComplete="current-password" label={current.label} help={current.help} /> : null}
        {next ? <Field field={next.field} type="password" autoComplete="new-password" label={next.label} help={next.help} /> : null}
        <SubmitButton pending={pending} {...(danger ? { className: "button-danger" } : {})}>
          {submit}
        </SubmitButton>
      </Form>
    </>
  );
}
