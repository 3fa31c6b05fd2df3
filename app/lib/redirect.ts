/** Only same-site paths: "//evil.example" and absolute URLs fall back to the default. */
export function safeRedirect(to: unknown, fallback = "/calendar"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\") || to.length > 500) {
    return fallback;
  }
  return to;
}
