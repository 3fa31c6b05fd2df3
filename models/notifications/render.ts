import type { Config } from "../config";
import type { DbOrTx } from "../db";
import type { NotificationKind, notifications } from "../db/schema";
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
 * renderer) and is listed in ./kinds/index.ts: a new feature (the roster's shift_* mails)
 * adds its own file there. A kind with no renderer is failed by the worker as
 * 'unsupported_kind', visibly, rather than sent half-made.
 */

const registry = new Map<NotificationKind, Renderer>();
let loaded: Promise<void> | undefined;

export function registerRenderer(kind: NotificationKind, renderer: Renderer) {
  registry.set(kind, renderer);
}

export function loadRenderers(): Promise<void> {
  // Imported on first use: the kinds import this module (layout), and the web process that
  // never sends mail never loads them.
  loaded ??= import("./kinds/index").then(({ kindModules }) => {
    for (const renderers of Object.values(kindModules)) {
      for (const [kind, renderer] of Object.entries(renderers)) {
        if (!registry.has(kind as NotificationKind)) registry.set(kind as NotificationKind, renderer);
      }
    }
  });
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
