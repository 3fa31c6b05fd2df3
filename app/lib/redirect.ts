// Control characters (tab and line breaks included: browsers drop them from URLs, so "/\t/x"
// becomes "//x"), backslashes (read as "/" by browsers) and their percent-encoded forms.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f\\]|%(2f|5c|0[0-9a-f]|1[0-9a-f]|7f)/i;
const BASE = "http://same-site.invalid";

/**
 * A caller-given place to go next, kept only when it is a path on this site: anything a browser
 * could read as another host ("//x", "/\x", "/\t/x", "/%2F/x", "https:x", "javascript:…") falls
 * back to `fallback`. Returned as the parser normalises it (non-ASCII percent-encoded). Never throws, so a strange target is never a 500.
 */
export function safeRedirect(to: unknown, fallback = "/calendar"): string {
  if (typeof to !== "string" || to.length > 500 || !to.startsWith("/") || to.startsWith("//") || UNSAFE.test(to)) return fallback;
  // The same resolution a browser does: the result must stay on this origin, path unchanged.
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return fallback;
  // Percent-encoded as the URL parser writes it: a Location header holds ASCII only, and
  // "/日历" must not turn into a header the runtime refuses (a 500).
  return url.pathname + url.search + url.hash;
}
