import QRCode from "qrcode";

/** The personal feed's links: https for Google and Outlook, webcal:// for a one-tap subscribe on Apple. */
export async function personalFeedLinks(request: Request, token: string) {
  const url = new URL(`/feeds/me/${token}.ics`, new URL(request.url).origin).href;
  const webcal = url.replace(/^https?:/, "webcal:");
  // Rendered here, as an SVG data URL: no script on the page and no third-party QR service
  // ever sees the secret link.
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { url, webcal, qr: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` };
}
