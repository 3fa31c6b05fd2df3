/**
 * Every kind's renderers, listed by hand: the server runs as one bundle (ADR 29), where a
 * directory read at run time finds nothing, so each file in this folder is imported here.
 * tests/unit/mail-kinds.test.ts fails when a file is missing from the list.
 */
import { renderers as accounts } from "./accounts";
import { renderers as consultations } from "./consultations";
import { renderers as households } from "./households";
import { renderers as shifts } from "./shifts";
import { renderers as signups } from "./signups";

export const kindModules = { accounts, consultations, households, shifts, signups };
