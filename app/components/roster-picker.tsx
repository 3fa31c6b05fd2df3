import { Form, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { PickerView } from "~/lib/roster-picker.server";
import { carries, SubmitButton, useSubmission } from "~/components/form";
import { useT } from "~/lib/view";

/**
 * A shift's picker: a search (a plain GET form, ?need=&q=, so it works without JavaScript;
 * with it, typing searches after a pause) and the people found, each marked free, on this
 * shift, clashing (with what) or without the skill. Only a free person has the button.
 */
export function RosterPicker({ picker, sessionId, skill }: { picker: PickerView; sessionId: number; skill: string }) {
  const t = useT();
  const sent = useSubmission();
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const inputId = `picker-q-${picker.needId}`;
  const listId = `picker-list-${picker.needId}`;
  return (
    <div className="picker no-print" data-picker={picker.needId}>
      <h3>{t("picker.heading", { skill })}</h3>
      <Form
        method="get"
        role="search"
        className="inline-form picker-search"
        preventScrollReset
        onChange={(event) => {
          const form = event.currentTarget;
          clearTimeout(timer.current);
          timer.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), 400);
        }}
      >
        <input type="hidden" name="need" value={picker.needId} />
        <div className="field">
          <label htmlFor={inputId}>{t("picker.search")}</label>
          <input id={inputId} name="q" type="search" defaultValue={picker.q} maxLength={40} aria-controls={listId} autoComplete="off" />
        </div>
        <button type="submit" className="button-secondary">
          {t("picker.searchButton")}
        </button>
      </Form>
      <p aria-live="polite">{picker.searched ? t("picker.results", { q: picker.q }) : t("picker.qualified", { skill })}</p>
      {picker.people.length === 0 ? <p className="empty">{t(picker.searched ? "picker.none" : "picker.noneQualified")}</p> : null}
      <ul className="picker-list" id={listId}>
        {picker.people.map((p) => (
          <li key={p.personId} className={p.free ? "picker-person picker-free" : "picker-person"} data-person={p.personId}>
            <span className="picker-name">{p.name}</span>
            <span className="picker-marks">
              {p.marks.map((m) => (
                <span key={m.kind} className={`picker-mark mark-${m.kind}`}>
                  {m.text}
                </span>
              ))}
            </span>
            {p.free ? (
              <Form method="post" className="picker-assign">
                <input type="hidden" name="intent" value="assign" />
                <input type="hidden" name="needId" value={picker.needId} />
                <input type="hidden" name="sessionId" value={sessionId} />
                <input type="hidden" name="personId" value={p.personId} />
                <SubmitButton pending={carries(sent, { intent: "assign", needId: picker.needId, personId: p.personId })} className="button-secondary">
                  {t("picker.assignPerson", { name: p.name })}
                </SubmitButton>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {picker.more ? <p>{t("picker.more", { count: picker.people.length })}</p> : null}
    </div>
  );
}
