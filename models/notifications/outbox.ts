import path from "node:path";
import type { Config } from "../config";

/**
 * With no SMTP_URL, mail is written here as `<notification id>.eml`, so a newcomer can read
 * what would have been sent; the admin Outbox page lists the same files.
 */
export const outboxDir = (config: Pick<Config, "dataDir">) => path.join(config.dataDir, "outbox");

export const outboxFile = (config: Pick<Config, "dataDir">, notificationId: number) => path.join(outboxDir(config), `${notificationId}.eml`);
