/**
 * A real SMTP server on 127.0.0.1 (smtp-server), collecting what it accepts, for the mail
 * tests. It can demand a login, answer 4xx for a while, go away entirely and come back on
 * the same port, and be slow (to catch a worker mid-send).
 */
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Db } from "../../models/db";
import { smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { runOnce } from "../../models/notifications/worker";

export interface ReceivedMail {
  raw: Buffer;
  from: string;
  to: string[];
  /** The Message-ID header as sent, e.g. <n12.signup_confirmed@hearth.localhost>. */
  messageId: string;
}

export interface TestSmtp {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:<port>, as SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** "4xx": every MAIL FROM gets 451 until set back to null. */
  refuse(mode: "4xx" | null): void;
  /** Closes the listener (connections refused) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Milliseconds to hold each message before answering 250. */
  delayMs: number;
  parse(mail: ReceivedMail): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtp(options: { auth?: { user: string; pass: string }; delayMs?: number } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let refusing: "4xx" | null = null;
  const state = { delayMs: options.delayMs ?? 0 };
  const serverOptions: SMTPServerOptions = {
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    // Closing waits this long for open connections (a pooled client keeps one) before cutting them.
    closeTimeout: 200,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onMailFrom(_address, _session, callback) {
      if (refusing === "4xx") {
        const error = new Error("Try again later") as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const accept = () => {
          const header = raw.subarray(0, raw.indexOf("\r\n\r\n") > 0 ? raw.indexOf("\r\n\r\n") : raw.length).toString("utf8");
          received.push({
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(header)?.[1] ?? "",
          });
          callback(null);
        };
        if (state.delayMs > 0) setTimeout(accept, state.delayMs);
        else accept();
      });
    },
  };
  let server = new SMTPServer(serverOptions);
  server.on("error", () => {});
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const port = await listen(0);
  const auth = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : "";
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    refuse(mode) {
      refusing = mode;
    },
    async down() {
      await stop();
    },
    async up() {
      server = new SMTPServer(serverOptions);
      server.on("error", () => {});
      await listen(port);
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    parse: (mail) => simpleParser(mail.raw),
    close: stop,
  };
}

/** How many times each Message-ID arrived, and the ids that came more than once. */
export function duplicatesOf(received: ReceivedMail[]) {
  const counts = new Map<string, number>();
  for (const mail of received) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  return { distinct: counts.size, duplicates };
}

/**
 * A test SMTP server and a transport to it for one describe block: started before its tests,
 * closed after. `deliver` runs the worker once (at `now`, if given) and returns what that run sent, parsed.
 */
export function useSmtpWorker(hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void }) {
  let smtp: TestSmtp | undefined;
  let transport: MailTransport | undefined;
  hooks.beforeAll(async () => {
    smtp = await startSmtp();
    transport = smtpTransport(smtp.url);
  });
  hooks.afterAll(async () => {
    await transport?.close();
    await smtp?.close();
  });
  return {
    received: () => smtp!.received,
    async deliver(db: Db, now?: Date): Promise<ParsedMail[]> {
      const before = smtp!.received.length;
      await runOnce(db, { transport: transport!, now });
      return Promise.all(smtp!.received.slice(before).map((m) => simpleParser(m.raw)));
    },
  };
}
