/**
 * What people sign in with (ADR 21): an email or a mainland mobile number. Pure functions, no
 * database: the forms' field schemas (app/lib/fields.ts) read them in the browser too.
 */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const MOBILE = /^1[3-9][0-9]{9}$/;

/**
 * A mainland mobile number as accounts keep it (eleven digits, 1[3-9]…), or null when the text
 * is not one. People write "138 1234 5678", "138-1234-5678", "+86 13812345678" or
 * "0086 138…": spaces, dashes and brackets go, and so does a +86 / 0086 / 86 in front.
 */
export function normaliseMobile(text: string | null | undefined): string | null {
  if (!text) return null;
  const digits = text.trim().replace(/[\s\-()（）]/g, "");
  const national = digits.replace(/^(\+86|0086|86)(?=\d{11}$)/, "");
  return MOBILE.test(national) ? national : null;
}

/** What a person signs in with: an email or a mainland mobile number. */
export type SignInName = { email: string } | { phone: string };

/** The one "手机号或邮箱" field read as one or the other, or null when it is neither. */
export function parseSignInName(text: string): SignInName | null {
  const trimmed = text.trim();
  if (trimmed.includes("@")) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? { email: normaliseEmail(trimmed) } : null;
  const phone = normaliseMobile(trimmed);
  return phone ? { phone } : null;
}
