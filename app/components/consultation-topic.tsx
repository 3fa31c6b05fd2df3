import { CONSULTATION } from "#models/limits";
import { useT } from "~/lib/view";

/** The optional topic of a consultation being booked; it is sensitive, and the help says who reads it. */
export function TopicField({ id }: { id: string }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{t("consult.topicOptional")}</label>
      <textarea id={id} name="topic" rows={3} maxLength={CONSULTATION.topic} aria-describedby={`${id}-help`} />
      <p id={`${id}-help`} className="help">
        {t("consult.topicPrivate")}
      </p>
    </div>
  );
}
