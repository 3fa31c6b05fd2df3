import { Link } from "@remix-run/react";

/** "‹ previous · title · next ›" above a calendar view; on a phone only the arrows show. */
export function PeriodNav({
  title,
  prev,
  next,
  prevLabel,
  nextLabel,
}: {
  title: string;
  prev: string;
  next: string;
  prevLabel: string;
  nextLabel: string;
}) {
  return (
    <div className="period-nav">
      <Link to={prev} className="button-secondary" aria-label={prevLabel}>
        ‹ <span className="hide-narrow">{prevLabel}</span>
      </Link>
      <h2 className="period-title">{title}</h2>
      <Link to={next} className="button-secondary" aria-label={nextLabel}>
        <span className="hide-narrow">{nextLabel}</span> ›
      </Link>
    </div>
  );
}
