/**
 * A server-formatted "day time–time" (dates.server's `range`), with the times kept on one line:
 * the day may wrap on a narrow screen, "07:30–08:30" never breaks in the middle.
 */
export function When({ text }: { text: string }) {
  const cut = text.lastIndexOf(" ");
  if (cut < 0) return <span className="time-range">{text}</span>;
  return (
    <>
      {text.slice(0, cut)} <span className="time-range">{text.slice(cut + 1)}</span>
    </>
  );
}
