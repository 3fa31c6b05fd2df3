/**
 * A per-session gate in front of the row lock. When hundreds of requests for one session
 * arrive at once, letting them all queue on the row in PostgreSQL costs more than the work:
 * every waiting backend is woken and re-checks a row whose version chain keeps growing.
 * Queueing them here instead, a few at a time per session, keeps the database's share
 * small. Correctness never depends on it — the statement and the CHECK hold capacity with
 * or without the gate, across any number of server processes.
 */
interface Gate {
  active: number;
  waiting: (() => void)[];
}

const gates = new Map<number, Gate>();
let width = 4;

/** How many signups of one session may be at the database at once (0 = no gate). */
export function setSessionGateWidth(value: number) {
  width = value;
}

export async function throughSessionGate<T>(sessionId: number, work: () => Promise<T>): Promise<T> {
  if (width <= 0) return work();
  let gate = gates.get(sessionId);
  if (!gate) {
    gate = { active: 0, waiting: [] };
    gates.set(sessionId, gate);
  }
  if (gate.active < width) gate.active++;
  else await new Promise<void>((resolve) => gate!.waiting.push(resolve));
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line; forget the gate once nobody uses it.
    const next = gate.waiting.shift();
    if (next) next();
    else if (--gate.active === 0) gates.delete(sessionId);
  }
}
