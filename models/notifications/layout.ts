/**
 * The layout every mail shares (greeting, lead, facts, footer with the unsubscribe link), in
 * its own module so that the kinds (./kinds/) can use it without importing the renderer
 * registry that imports them.
 */
import { mailTexts, whoFor } from "./catalog";
import type { Recipient } from "./recipients";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export interface MailBody {
  recipient: Recipient;
  lead: string;
  /** Label/value rows (time, place …). */
  facts: [string, string][];
  extra?: string[];
  link?: { label: string; url: string };
  /** A picture after the facts (the check-in QR code): its note, its cid and alt text, and the URL it carries for the text part. */
  image?: { note: string; cid: string; alt: string; url: string };
  unsubscribeUrl: string;
  stationName: string;
}

/** The plain-text and HTML parts from one description, so the two always say the same. */
export function layout(body: MailBody): { text: string; html: string } {
  const t = mailTexts(body.recipient.locale);
  const greeting = t.greeting(body.recipient.name);
  const who = whoFor(body.recipient);
  const forLine = who === null ? null : t.forName(who);
  const text = [
    greeting,
    ...(forLine ? [forLine] : []),
    "",
    body.lead,
    ...(body.extra ?? []),
    "",
    ...body.facts.map(([label, value]) => `${label}: ${value}`),
    ...(body.image ? ["", body.image.note, body.image.url] : []),
    ...(body.link ? ["", `${body.link.label}: ${body.link.url}`] : []),
    "",
    "--",
    t.footer(body.stationName),
    `${t.unsubscribe}: ${body.unsubscribeUrl}`,
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="${body.recipient.locale}"><head><meta charset="utf-8"></head>`,
    `<body style="font-family:sans-serif;font-size:18px;line-height:1.5;color:#111">`,
    `<p>${e(greeting)}</p>`,
    forLine ? `<p><strong>${e(forLine)}</strong></p>` : "",
    `<p>${e(body.lead)}</p>`,
    ...(body.extra ?? []).map((line) => `<p>${e(line)}</p>`),
    `<table role="presentation" style="font-size:18px">`,
    ...body.facts.map(([label, value]) => `<tr><th style="text-align:left;padding-right:1em">${e(label)}</th><td>${e(value)}</td></tr>`),
    `</table>`,
    body.image
      ? `<p>${e(body.image.note)}</p><p><img src="cid:${e(body.image.cid)}" alt="${e(body.image.alt)}" width="220" height="220" style="display:block"></p>`
      : "",
    body.link ? `<p><a href="${e(body.link.url)}">${e(body.link.label)}</a></p>` : "",
    `<hr><p style="font-size:14px;color:#555">${e(t.footer(body.stationName))}<br>`,
    `<a href="${e(body.unsubscribeUrl)}">${e(t.unsubscribe)}</a></p>`,
    `</body></html>`,
  ].join("\n");
  return { text, html };
}
