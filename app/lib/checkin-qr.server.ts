import QRCode from "qrcode";
import { getConfig } from "#models/config";

/** The URL a check-in QR code carries: staff scan it with the phone's own camera and land on the check-in. */
export const checkinUrl = (sessionId: number, code: string) => new URL(`/checkin/${sessionId}/${code}`, getConfig().PUBLIC_URL).toString();

/**
 * The QR code of a check-in URL as an SVG string, drawn by the `qrcode` package (medium error
 * correction: a creased printout or a cracked phone screen still scans). Black on white with
 * a quiet zone, as scanners expect.
 */
export const qrSvg = (url: string) => QRCode.toString(url, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
