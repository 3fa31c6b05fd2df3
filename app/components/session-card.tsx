import { Link } from "@remix-run/react";
import type { SessionCardView } from "~/lib/calendar.server";
import { useT } from "~/lib/view";
import { SessionStateText } from "./session-state";

export function SessionCard({ session }: { session: SessionCardView }) {
  const t = useT();
  return (
    <li className={`session-card${session.cancelled ? " is-cancelled" : ""}`} style={{ borderInlineStartColor: session.color }}>
      <Link to={`/sessions/${session.id}`} className="session-link">
        <span className="session-time">{session.time}</span>
        <span className="session-title">{session.title}</span>
      </Link>
      <span className="session-meta">
        {session.category}
        {session.location ? ` · ${session.location}` : ""}
      </span>
      <span className="session-status">
        <SessionStateText state={session.state} />
        {session.moved && !session.cancelled ? <strong className="badge badge-moved">{t("calendar.moved")}</strong> : null}
      </span>
    </li>
  );
}

/** `past` days are hidden on a phone (the list starts at today) unless a grid cell links to one (:target). */
export function DayList({ days }: { days: { date: string; label: string; sessions: SessionCardView[]; past?: boolean }[] }) {
  const t = useT();
  if (days.length === 0) return <p className="empty">{t("calendar.noSessions")}</p>;
  return (
    <div className="day-list">
      {days.map((day) => (
        <section key={day.date} id={`d-${day.date}`} aria-labelledby={`h-${day.date}`} className={day.past ? "is-past" : undefined}>
          <h2 id={`h-${day.date}`} className="day-heading">
            {day.label}
          </h2>
          <ul className="session-list">
            {day.sessions.map((s) => (
              <SessionCard key={s.id} session={s} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
