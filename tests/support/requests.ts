import { writeSessionToken } from "../../app/lib/cookies.server";

export interface CallOptions {
  token?: string;
  locale?: "zh-CN" | "en";
  headers?: Record<string, string>;
}

export interface RouteResult {
  status: number;
  headers: Headers;
  /** Parsed data for data()/plain returns, text for Responses. */
  body: unknown;
  thrown: boolean;
}

const BASE = "http://localhost:3000";

async function cookieHeader(options: CallOptions) {
  const parts: string[] = [];
  if (options.token) {
    const setCookie = await writeSessionToken(new Request(BASE), options.token);
    parts.push(setCookie.split(";")[0]!);
  }
  if (options.locale) {
    // Same encoding as Remix's createCookie: base64 of the JSON value.
    const value = Buffer.from(JSON.stringify({ locale: options.locale, largeText: false })).toString("base64");
    parts.push(`hearth_prefs=${encodeURIComponent(value)}`);
  }
  return parts.join("; ");
}

export async function getRequest(path: string, options: CallOptions = {}) {
  return new Request(BASE + path, { headers: { Cookie: await cookieHeader(options), ...options.headers } });
}

export async function postRequest(path: string, form: Record<string, string | string[]> | string, options: CallOptions = {}) {
  let body: URLSearchParams | string;
  if (typeof form === "string") body = form;
  else {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  }
  return new Request(BASE + path, {
    method: "POST",
    body,
    headers: {
      Cookie: await cookieHeader(options),
      "Content-Type": "application/x-www-form-urlencoded",
      ...options.headers,
    },
  });
}

type Handler = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => unknown;

/** Runs a loader or action the way Remix does and normalises what it returned or threw. */
export async function call(handler: Handler, request: Request, params: Record<string, string | undefined> = {}): Promise<RouteResult> {
  let value: unknown;
  let thrown = false;
  try {
    value = await handler({ request, params, context: { ip: "127.0.0.1" } });
  } catch (error) {
    thrown = true;
    value = error;
  }
  if (value instanceof Response) {
    return { status: value.status, headers: value.headers, body: await value.text(), thrown };
  }
  // A thrown data() (the guard's 403) is a reply too, as Remix renders it: the error boundary's data.
  if (value && typeof value === "object" && (value as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = value as { data: unknown; init?: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), body: data, thrown };
  }
  if (thrown) throw value;
  return { status: 200, headers: new Headers(), body: value, thrown };
}
