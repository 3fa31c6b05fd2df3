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
