import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig, trustProxySetting } from "../../models/config";

/**
 * The client address the limits see (req.ip, as server.ts sets "trust proxy" from
 * TRUST_PROXY), asked of a real Express app over loopback with forged X-Forwarded-For headers.
 */
describe("TRUST_PROXY", () => {
  const apps: Record<string, http.Server> = {};
  const settings = { unset: undefined, true: "true", hops2: "2", loopback: "loopback", proxyList: "10.0.0.0/8, 127.0.0.1" } as const;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(settings)) {
      const app = express();
      app.set("trust proxy", trustProxySetting(value) ?? false);
      app.get("/", (req, res) => void res.send(req.ip));
      apps[name] = await new Promise<http.Server>((resolve) => {
        const server = app.listen(0, "127.0.0.1", () => resolve(server));
      });
    }
  });
  afterAll(() => {
    for (const server of Object.values(apps)) server.close();
  });

  const ipSeen = async (name: keyof typeof settings, forwarded?: string) => {
    const port = (apps[name]!.address() as AddressInfo).port;
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: forwarded ? { "X-Forwarded-For": forwarded } : {} });
    return res.text();
  };

  it("unset: the header is ignored; every forged value is the same one client", async () => {
    expect(await ipSeen("unset", "203.0.113.9")).toBe("127.0.0.1");
    expect(await ipSeen("unset", "198.51.100.1, 203.0.113.9")).toBe("127.0.0.1");
  });

  it("true means one proxy: the address it appended, never the client-written entries before it", async () => {
    // A proxy appends the address it saw; whatever the client sent stays on the left.
    expect(await ipSeen("true", "1.1.1.1, 2.2.2.2, 198.51.100.7")).toBe("198.51.100.7");
    expect(await ipSeen("true", "9.9.9.9, 198.51.100.7")).toBe("198.51.100.7");
    expect(await ipSeen("true", "198.51.100.7")).toBe("198.51.100.7");
  });

  it("a hop count trusts exactly that many hops from the right", async () => {
    expect(await ipSeen("hops2", "6.6.6.6, 198.51.100.7, 10.0.0.2")).toBe("198.51.100.7");
  });

  it("a list of proxies: the right-most address that is not one of them", async () => {
    expect(await ipSeen("loopback", "6.6.6.6, 198.51.100.7")).toBe("198.51.100.7");
    expect(await ipSeen("proxyList", "6.6.6.6, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
    // A forged trusted-looking entry to the left of the client's real address buys nothing.
    expect(await ipSeen("proxyList", "10.9.9.9, 198.51.100.7, 10.1.2.3")).toBe("198.51.100.7");
  });

  it("refuses values that mean nothing, at start", () => {
    for (const bad of ["yes", "0", "99", "example.com", "10.0.0.1; rm"]) {
      expect(trustProxySetting(bad)).toBeNull();
      expect(() => getConfig({ TRUST_PROXY: bad } as unknown as NodeJS.ProcessEnv)).toThrow(/TRUST_PROXY/);
    }
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("")).toBe(false);
  });
});
