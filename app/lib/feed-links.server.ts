import QRCode from "qrcode";

/** https for Google and Outlook, webcal:// for a one-tap subscribe; the QR code as an SVG data URL drawn here. */
async function linksFor(url: string) {
  const webcal = url.replace(/^https?:/, "webcal:");
  // Rendered here, as an SVG data URL: no script on the page and no third-party QR service
  // ever sees the link (for the personal feed, a secret one).
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { url, webcal, qr: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` };
}

/** The personal feed's links. */
export async function personalFeedLinks(request: Request, token: string) {
  return linksFor(new URL(`/feeds/me/${token}.ics`, new URL(request.url).origin).href);
}

// A public feed's links are the same for everyone and drawing the QR code is a few per cent of a
// calendar page's work, so they are kept (a handful: one per category and origin). A personal
// feed's link is a secret and is drawn afresh each time.
const publicLinks = new Map<string, ReturnType<typeof linksFor>>();
const MAX_PUBLIC_LINKS = 100;

/** A public feed's links: the whole calendar, or one category's. Anyone may subscribe, signed in or not. */
export function publicFeedLinks(request: Request, categorySlug?: string) {
  const url = new URL(`/feeds/${categorySlug ?? "calendar"}.ics`, new URL(request.url).origin).href;
  let links = publicLinks.get(url);
  if (!links) {
    if (publicLinks.size >= MAX_PUBLIC_LINKS) publicLinks.clear();
    publicLinks.set(url, (links = linksFor(url)));
    links.catch(() => publicLinks.delete(url));
  }
  return links;
}

export type FeedLinks = Awaited<ReturnType<typeof linksFor>>;
