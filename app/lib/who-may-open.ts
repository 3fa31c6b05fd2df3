import { isMessageKey, type MessageKey, type Translate } from "~/i18n";

/**
 * A page refused for a role says who can open it: the guard's 403 carries
 * `{ code: "not_allowed", roles }`. Anything else (a plain string, no roles) gets the plain message.
 */
export function whoMayOpen(t: Translate, data: unknown): string | null {
  if (!data || typeof data !== "object" || !("roles" in data) || !Array.isArray(data.roles)) return null;
  const roles = (data.roles as unknown[]).filter((r): r is string => typeof r === "string" && isMessageKey(`role.${r}`));
  if (!roles.length) return null;
  if (roles.length === 1 && roles[0] === "admin") return t("error.adminOnly");
  return t("error.rolesOnly", { roles: roles.map((r) => t(`role.${r}` as MessageKey)).join(t("summary.listSeparator")) });
}

/**
 * The admins a refused coordinator may ask (ADR 30): the guard adds their names to the 403 of a
 * page for admins only, for staff only. null: not such a refusal (the plain message stands).
 */
export function adminsToAsk(data: unknown): string[] | null {
  if (!data || typeof data !== "object" || !("admins" in data) || !Array.isArray(data.admins)) return null;
  return (data.admins as unknown[]).filter((name): name is string => typeof name === "string");
}
