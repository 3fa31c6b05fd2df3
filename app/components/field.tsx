import type { FieldMetadata } from "@conform-to/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { inputOf } from "./form";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  help?: string;
} & (
    | { /** A field of a schema form: name, constraints and error come from it. */ field: FieldMetadata<unknown>; name?: never; error?: never }
    | { field?: never; name: string; error?: string }
  );

/** A labelled input with its help and error text tied to it for screen readers. */
export function Field({ field, label, help, id, ...props }: FieldProps) {
  // The page's props win, bar the value a refused submission echoed back (FormReply.values).
  const echoed = field?.defaultValue !== undefined ? { defaultValue: field.defaultValue } : {};
  const { name, error, ...input } = field ? { ...inputOf(field), ...props, ...echoed } : props;
  const inputId = id ?? `f-${name}`;
  const described = [help ? `${inputId}-help` : null, error ? `${inputId}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={described || undefined} {...input} />
      {help ? (
        <p id={`${inputId}-help`} className="help">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${inputId}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function FieldShell({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A labelled choice among named things (a skill, a service, a provider). With `placeholder`
 * nothing is chosen at first, so a required choice cannot be sent by accident.
 */
export function SelectField({
  id,
  name,
  label,
  options,
  placeholder,
  required,
  error,
}: {
  id: string;
  name: string;
  label: string;
  options: { id: number; name: string }[];
  placeholder?: string;
  required?: boolean;
  error?: string;
}) {
  return (
    <FieldShell id={id} label={label} error={error}>
      <select
        id={id}
        name={name}
        required={required}
        defaultValue={placeholder === undefined ? undefined : ""}
        aria-invalid={error ? true : undefined}
      >
        {placeholder === undefined ? null : (
          <option value="" disabled>
            {placeholder}
          </option>
        )}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
