import { describe, expect, it } from "vitest";
import { getConfig as readConfig } from "../../models/config";

// A test environment of its own (not process.env), so nothing is cached between cases.
const getConfig = (env: Record<string, string>) => readConfig({ NODE_ENV: "test", ...env });

describe("PUBLIC_URL", () => {
  it("follows HOST and PORT when unset, so mail links reach the server that sent them", () => {
    expect(getConfig({ HOST: "127.0.0.1", PORT: "3102" }).PUBLIC_URL).toBe("http://127.0.0.1:3102");
    expect(getConfig({ PORT: "8080" }).PUBLIC_URL).toBe("http://localhost:8080");
    expect(getConfig({}).PUBLIC_URL).toBe("http://localhost:3000");
  });

  it("says localhost for a server listening on every interface, and brackets an IPv6 address", () => {
    expect(getConfig({ HOST: "0.0.0.0", PORT: "3000" }).PUBLIC_URL).toBe("http://localhost:3000");
    expect(getConfig({ HOST: "::1", PORT: "3000" }).PUBLIC_URL).toBe("http://[::1]:3000");
  });

  it("an explicit PUBLIC_URL wins; an empty one counts as unset", () => {
    expect(getConfig({ HOST: "0.0.0.0", PUBLIC_URL: "https://hearth.example.org" }).PUBLIC_URL).toBe("https://hearth.example.org");
    expect(getConfig({ HOST: "10.0.0.5", PORT: "80", PUBLIC_URL: "" }).PUBLIC_URL).toBe("http://10.0.0.5:80");
  });
});
