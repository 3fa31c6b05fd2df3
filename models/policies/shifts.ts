import type { Role } from "../auth";

/** Roles that work roster shifts themselves (staff assign them, and may take one too). */
export const SHIFT_ROLES: readonly Role[] = ["volunteer", "doctor"];

/** Does this person take shifts: see 我的排班, sign up for open shifts, state their availability? */
export const takesShifts = (roles: readonly Role[]) => roles.some((role) => SHIFT_ROLES.includes(role));
