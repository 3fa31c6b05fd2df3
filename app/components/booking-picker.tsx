import { useEffect, useRef } from "react";
import { Form } from "@remix-run/react";
import type { BookedLine, PickerView } from "~/lib/booking-picker.server";
import { useT } from "~/lib/view";
import { peopleCount } from "~/i18n";
import { Notice, SubmitButton, usePending } from "./form";

/**
 * 为家人和联系户报名 (ADR 25): one big row per person — a box to tick, the name, how many come —
 * grouped by household, and one button. Rows are whole-width touch targets for a phone held by
 * someone of 72 with large text on; people already on this session show where they stand instead.
 */
export function BookingPicker({ picker, booked }: { picker: PickerView; booked?: BookedLine[] }) {
  const t = useT();
  const pending = usePending({ intent: "book" });
  let row = 0;
  return (
    <section className="booking-picker no-print" aria-labelledby="booking-heading">
      <h2 id="booking-heading">{t("booking.title")}</h2>
      {booked ? <BookingResult lines={booked} /> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="book" />
        <p className="help">{t("booking.help")}</p>
        {picker.groups.map((group) => (
          <fieldset key={group.key} className="booking-group">
            <legend>{group.own ? t("booking.ownHousehold") : group.label}</legend>
            <ul className="booking-rows">
              {group.people.map((person) => {
                const name = person.me ? t("booking.me", { name: person.name }) : person.name;
                if (person.booked)
                  return (
                    <li key={person.id} className="booking-row booking-row-done">
                      <span className="booking-name">{name}</span>
                      <span className={`status-badge status-${person.booked.status}`}>
                        {person.booked.status === "confirmed"
                          ? t("booking.alreadyConfirmed")
                          : t("booking.alreadyWaitlisted", { position: person.booked.position ?? 1 })}
                      </span>
                    </li>
                  );
                const i = row++;
                return (
                  <li key={person.id} className="booking-row">
                    <label className="booking-check">
                      <input type="checkbox" name={`people[${i}].personId`} value={person.id} />
                      <span className="booking-name">{name}</span>
                    </label>
                    {picker.maxPartySize > 1 ? (
                      // Shown once the row is ticked (app.css, :has): 30 unlabelled "1 人" boxes read as noise.
                      <label className="booking-size">
                        <span aria-hidden="true">{t("booking.partySize")}</span>
                        <select name={`people[${i}].partySize`} defaultValue="1" aria-label={t("booking.partySizeFor", { name: person.name })}>
                          {Array.from({ length: picker.maxPartySize }, (_, n) => (
                            <option key={n + 1} value={n + 1}>
                              {peopleCount(t, n + 1)}
                            </option>
                          ))}
                        </select>
                      </label>
                    ) : (
                      <input type="hidden" name={`people[${i}].partySize`} value="1" />
                    )}
                  </li>
                );
              })}
            </ul>
          </fieldset>
        ))}
        {row > 0 ? (
          // Kept in sight at the bottom of the screen however long her list of households is.
          <div className="booking-submit">
            <SubmitButton pending={pending} className="button-primary button-large">
              {t("booking.submit")}
            </SubmitButton>
          </div>
        ) : (
          <Notice>{t("booking.everyoneBooked")}</Notice>
        )}
      </Form>
    </section>
  );
}

const MARK = { confirmed: "✓", waitlisted: "…", refused: "✗" } as const;

/** What became of each person, in the order they were ticked. */
function BookingResult({ lines }: { lines: BookedLine[] }) {
  const t = useT();
  const count = (status: BookedLine["status"]) => lines.filter((l) => l.status === status).length;
  const box = useRef<HTMLDivElement>(null);
  // The answer is what she came for: bring it into view (the page would otherwise stay where the button was).
  useEffect(() => {
    box.current?.scrollIntoView({ block: "start" });
    box.current?.focus({ preventScroll: true });
  }, [lines]);
  return (
    <div className="booking-result" role="status" ref={box} tabIndex={-1}>
      <p className="booking-summary">
        {t("booking.summary", { confirmed: count("confirmed"), waitlisted: count("waitlisted"), refused: count("refused") })}
      </p>
      <ul className="booking-outcomes">
        {lines.map((line) => (
          <li key={line.personId} className={`booking-outcome outcome-${line.status}`}>
            <span className="booking-mark" aria-hidden="true">
              {MARK[line.status]}
            </span>
            <span className="booking-name">{line.name}</span>
            <span className="booking-what">
              {line.status === "confirmed"
                ? t("booking.outcomeConfirmed", { people: peopleCount(t, line.partySize) })
                : line.status === "waitlisted"
                  ? t("booking.outcomeWaitlisted", { position: line.position ?? 1 })
                  : t("booking.outcomeRefused", { reason: line.reason ?? "" })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
