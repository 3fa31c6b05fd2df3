import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type SendMailOptions } from "nodemailer";
import type { Config } from "../config";
import { outboxDir, outboxFile } from "./outbox";

export type { SendMailOptions };

/** Where one rendered mail goes: an SMTP server, or a file in DATA_DIR/outbox. */
export interface MailTransport {
  kind: "smtp" | "outbox";
  /** Resolves once the server accepted the message (or the file is in place); rejects otherwise. */
  send(mail: SendMailOptions, meta: { notificationId: number }): Promise<void>;
  close(): Promise<void>;
}

type TransportConfig = Pick<Config, "SMTP_URL" | "dataDir">;

export function transportFromConfig(config: TransportConfig): MailTransport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : outboxTransport(config);
}

/**
 * A pooled SMTP transport from smtp://user:pass@host:port or smtps://… (implicit TLS).
 * Timeouts are short and bounded: a hanging server must fail the send well within the
 * worker's lease, so the row is retried rather than held.
 */
export function smtpTransport(url: string): MailTransport {
  const parsed = new URL(url);
  const secure = parsed.protocol === "smtps:";
  const transporter = nodemailer.createTransport({
    pool: true,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail(mail);
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * With no SMTP server the raw RFC 822 message is written to DATA_DIR/outbox/<id>.eml. The
 * file appears whole or not at all (temp file + rename), so the admin Outbox page never
 * shows half a message; a retry of the same id simply replaces it.
 */
export function outboxTransport(config: Pick<Config, "dataDir">): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    kind: "outbox",
    async send(mail, { notificationId }) {
      const info = await composer.sendMail(mail);
      await fs.mkdir(outboxDir(config), { recursive: true });
      const target = outboxFile(config, notificationId);
      const temp = path.join(path.dirname(target), `.${notificationId}.${process.pid}.${Date.now()}.tmp`);
      await fs.writeFile(temp, info.message as Buffer);
      await fs.rename(temp, target);
    },
    async close() {},
  };
}
