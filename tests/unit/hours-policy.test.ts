import { describe, expect, it } from "vitest";
import { canManageHours } from "../../models/policies/consultations";

describe("canManageHours (ADR 28)", () => {
  const hours = { providerPersonId: 7 };
  it("lets the provider keep their own hours, and staff anyone's", () => {
    expect(canManageHours({ personId: 7, roles: ["resident"] }, hours)).toBe(true);
    expect(canManageHours({ personId: 1, roles: ["coordinator"] }, hours)).toBe(true);
    expect(canManageHours({ personId: 2, roles: ["admin"] }, hours)).toBe(true);
  });
  it("refuses another provider, a desk volunteer, a doctor and a resident", () => {
    expect(canManageHours({ personId: 8, roles: ["doctor"] }, hours)).toBe(false);
    expect(canManageHours({ personId: 9, roles: ["volunteer"] }, hours)).toBe(false);
    expect(canManageHours({ personId: 10, roles: ["resident"] }, hours)).toBe(false);
  });
});
