import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { Config } from "../config";
import type { DbOrTx } from "../db";
import type { NotificationKind, notifications } from "../db/schema";
import { mailTexts, whoFor } from "./catalog";
import type { Recipient } from "./recipients";

export type NotificationRow = typeof notifications.$inferSelect;

/** What every renderer gets: the row, who reads it, and the station-wide mail settings. */
export interface MailContext {
  db: DbOrTx;
  row: NotificationRow;
  recipient: Recipient;
  settings: MailSettings;
  /** PUBLIC_URL/unsubscribe/<token>: the footer link (List-Unsubscribe adds /one-click). */
  unsubscribeUrl: string;
}

export interface MailSettings {
  from: string;
  fromName: string;
  fromAddress: string;
  /** The domain of MAIL_FROM: Message-IDs and calendar UIDs are made under it. */
  domain: string;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
}

export interface IcalPart {
  method: "REQUEST" | "CANCEL";
  content: string;
}

/** A renderer's answer: the mail, or a reason not to send it at all (the row becomes 'skipped'). */
/** An image shown in the HTML part (by `cid:`), attached inline: PNG, since mail programs do not show SVG. */
export interface InlineImage {
  cid: string;
  filename: string;
  contentType: "image/png";
  content: Buffer;
}

export type RenderOutcome =
  { skip: string } | { mail: { subject: string; text: string; html: string; icalEvent?: IcalPart; images?: InlineImage[] } };
export type Renderer = (ctx: MailContext) => Promise<RenderOutcome>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  icalEvent?: IcalPart;
  images?: InlineImage[];
}

export function mailSettings(config: Pick<Config, "MAIL_FROM" | "PUBLIC_URL" | "PORT">): MailSettings {
  const address = /<([^>]+)>\s*$/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM.trim();
  const domain = address.split("@")[1]?.trim() || "hearth.localhost";
  const fromName = config.MAIL_FROM.replace(/<[^>]*>\s*$/, "")
    .trim()
    .replace(/^"|"$/g, "");
  return {
    from: config.MAIL_FROM,
    fromName: fromName || address,
    fromAddress: address,
    domain,
    publicUrl: config.PUBLIC_URL.replace(/\/+$/, ""),
  };
}

// ------------------------------------------------------------------- the registry of kinds

/**
 * Renderers by kind. Each file in ./kinds/ exports `renderers` (a partial map kind →
 * renderer) and is picked up by loadRenderers(): a new feature (the roster's shift_* mails)
 * adds its own file there and edits nobody else's. A kind with no renderer is failed by the
 * worker as 'unsupported_kind', visibly, rather than sent half-made.
 */
export interface KindModule {
  renderers: Partial<Record<NotificationKind, Renderer>>;
}

const registry = new Map<NotificationKind, Renderer>();
let loaded: Promise<void> | undefined;

export function registerRenderer(kind: NotificationKind, renderer: Renderer) {
  registry.set(kind, renderer);
}

export function loadRenderers(): Promise<void> {
  loaded ??= (async () => {
    const dir = fileURLToPath(new URL("./kinds/", import.meta.url));
    const files = fs.readdirSync(dir).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts") && !/\.test\./.test(f));
    for (const file of files.sort()) {
      const mod = (await import(new URL(`./kinds/${file}`, import.meta.url).href)) as Partial<KindModule>;
      for (const [kind, renderer] of Object.entries(mod.renderers ?? {})) {
        if (!registry.has(kind as NotificationKind)) registry.set(kind as NotificationKind, renderer);
      }
    }
  })();
  return loaded;
}

export async function rendererFor(kind: NotificationKind): Promise<Renderer | undefined> {
  await loadRenderers();
  return registry.get(kind);
}

/**
 * The whole mail for one row: the kind's renderer plus what every mail carries. The
 * Message-ID depends only on the row, so a retry after a lost reply is recognisably the
 * same message to the receiving server and to the test that counts deliveries.
 */
export async function renderNotification(
  ctx: Omit<MailContext, "unsubscribeUrl">,
): Promise<{ skip: string } | { unsupported: true } | { mail: RenderedMail }> {
  const renderer = await rendererFor(ctx.row.kind);
  if (!renderer) return { unsupported: true };
  const unsubscribeUrl = `${ctx.settings.publicUrl}/unsubscribe/${ctx.row.unsubscribeToken}`;
  const outcome = await renderer({ ...ctx, unsubscribeUrl });
  if ("skip" in outcome) return outcome;
  return {
    mail: {
      ...outcome.mail,
      headers: {
        "Message-ID": messageIdOf(ctx.row, ctx.settings),
        // The header's URL is a resource route taking the mail program's POST; the footer
        // link (a person's click) opens the page that asks first.
        "List-Unsubscribe": `<${unsubscribeUrl}/one-click>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    },
  };
}

export const messageIdOf = (row: Pick<NotificationRow, "id" | "kind">, settings: Pick<MailSettings, "domain">) =>
  `<n${row.id}.${row.kind}@${settings.domain}>`;

// ------------------------------------------------------------------- shared layout

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
