/** The "Mail" section of docs/benchmarks.md, from the figures scripts/bench/mail.ts measured. */
import { cores } from "./report";
import { LAG_SPREAD_S, MAIL_ROWS, type MailFigures } from "./mail";

const LAG_GOAL_S = 60;
const verdict = (ok: boolean) => (ok ? "PASS" : "**MISS**");
const sec = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} s` : "–");

export function mailMarkdown(f: MailFigures): string {
  const parts: string[] = ["## Mail\n"];
  parts.push(
    `Measured ${f.when} (${f.totalS.toFixed(0)} s) on ${f.machine.cpu}, ${f.machine.cores} cores, Node ${f.machine.node}; commit \`${f.commit}\`. Database: ${f.backend}. ` +
      `The real worker (\`runOnce\` / \`startWorker\` in models/notifications/worker.ts) renders each row and sends it through the pooled SMTP transport (\`smtpTransport\`, nodemailer pool of 2 connections) to an SMTP server (smtp-server) on 127.0.0.1 in the bench's own process, which accepts every message.\n`,
  );
  if (f.error) parts.push(`**The bench failed:** ${f.error}\n`);
  const t = f.throughput;
  const l = f.lag;
  if (t) {
    parts.push(
      `**Throughput.** ${MAIL_ROWS.toLocaleString("en")} people signed up through \`signUp\`, which wrote ${t.rows.toLocaleString("en")} confirmations due now; \`runOnce\` passes (batches of 50) back to back until none was left: ` +
        `${t.sent.toLocaleString("en")} sent (${t.received.toLocaleString("en")} received by the SMTP server) in ${(t.wallMs / 1000).toFixed(2)} s over ${t.passes} passes, **${t.perSecond.toFixed(0)} messages/s**. ` +
        `The bench process (worker, SMTP server${f.backend.startsWith("PGlite") ? ", PGlite" : ""}) used ${cores(t.benchCores)}; other processes ${cores(t.other)}.\n`,
    );
  }
  if (l) {
    parts.push(
      `**Lag at the default poll.** ${l.rows} rows due at instants spread evenly over ${LAG_SPREAD_S} s, the worker started with \`startWorker\` at its default poll (WORKER_POLL_SECONDS = ${l.pollSeconds} s, batches of ${l.batchSize}); ${l.sent} sent, after ${l.wallS.toFixed(0)} s.\n`,
    );
    parts.push("| Lag, sent − due | p50 | p95 | max |\n| --- | ---: | ---: | ---: |");
    parts.push(`| Accepted by the SMTP server − due_at | ${sec(l.accepted.p50)} | ${sec(l.accepted.p95)} | ${sec(l.accepted.max)} |`);
    parts.push(
      `| As recorded: sent_at − due_at (sent_at is the pass's clock, taken when it claims the batch) | ${sec(l.recorded.p50)} | ${sec(l.recorded.p95)} | ${sec(l.recorded.max)} |`,
    );
    parts.push("");
    parts.push("| Measure | Result | Goal | Verdict |\n| --- | --- | --- | --- |");
    parts.push(`| Lag p95, accepted by SMTP − due | ${sec(l.accepted.p95)} | ≤ ${LAG_GOAL_S} s | ${verdict(l.accepted.p95 <= LAG_GOAL_S)} |`);
    parts.push(`| Rows sent of those due | ${l.sent} / ${l.rows} | all | ${verdict(l.sent === l.rows)} |`);
    parts.push("");
    parts.push(
      `With a poll every ${l.pollSeconds} s, a row waits for the next pass: on average half the interval, at most the whole interval plus the pass before it.\n`,
    );
  }
  parts.push("Run just this part with `npm run bench -- --only=mail` (it then replaces only this section of this file).\n");
  return parts.join("\n");
}
