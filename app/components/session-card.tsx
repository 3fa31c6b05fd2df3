import { Link } from "@remix-run/react";
import type { SessionCardView } from "~/lib/calendar.server";
import { useT } from "~/lib/view";

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
        {session.cancelled ? (
          <strong className="badge badge-cancelled">{t("calendar.cancelled")}</strong>
        ) : session.placesLeft > 0 ? (
          t("calendar.placesLeft", { count: session.placesLeft })
        ) : (
          <strong className="badge">{t("calendar.full")}</strong>
        )}
        {session.moved && !session.cancelled ? <strong className="badge badge-moved">{t("calendar.moved")}</strong> : null}
      </span>
    </li>
  );
}

export function DayList({ days }: { days: { date: string; label: string; sessions: SessionCardView[] }[] }) {
  const t = useT();
  if (days.length === 0) return <p className="empty">{t("calendar.noSessions")}</p>;
  return (
    <div className="day-list">
      {days.map((day) => (
        <section key={day.date} id={`d-${day.date}`} aria-labelledby={`h-${day.date}`}>
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
