import { Fragment } from "react";
import { useT } from "~/lib/view";

interface Section {
  key: string;
  title: string;
  columns: string[];
  rows: string[][];
}

/**
 * 我的数据 in plain words: each section a heading and, per entry, its facts one to a line
 * ("报名人：林秀珍"), so large text on a phone never needs a sideways scroll.
 */
export function PersonalDataSections({ sections }: { sections: Section[] }) {
  const t = useT();
  return (
    <>
      {sections.map((s) => (
        <section key={s.key} aria-labelledby={`data-${s.key}`}>
          <h2 id={`data-${s.key}`}>
            {s.title} <span className="help">({s.rows.length})</span>
          </h2>
          {s.rows.length ? (
            <ul className="bookings-list">
              {s.rows.map((row, i) => (
                <li key={i} className="booking">
                  <dl className="facts facts-stacked">
                    {row.map((cell, c) =>
                      cell ? (
                        <Fragment key={c}>
                          <dt>{s.columns[c]}</dt>
                          <dd>{cell}</dd>
                        </Fragment>
                      ) : null,
                    )}
                  </dl>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t("data.none")}</p>
          )}
        </section>
      ))}
    </>
  );
}
