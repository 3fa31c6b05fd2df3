import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** How often the holder touches its lock file, and how old a touch must be before the lock counts as abandoned. */
export const LOCK_HEARTBEAT_MS = 2000;
export const LOCK_STALE_MS = 5 * LOCK_HEARTBEAT_MS;

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number, where = "") {
    super(
      `The embedded database in ${dir} is already open in process ${pid}${where}. ` +
        `Two processes on one PGlite directory lose data: stop that process first ` +
        `(or point DATA_DIR elsewhere).`,
    );
    this.name = "DataDirLockedError";
  }
}

/**
 * Who holds a lock: the pid alone means nothing to a process in another PID namespace (two
 * containers sharing a volume), so the lock also names the host, the boot and the PID
 * namespace. Only a holder in our own namespace can be judged by its pid; any other is judged
 * by its heartbeat (the lock file's mtime, touched every LOCK_HEARTBEAT_MS).
 */
interface Identity {
  host: string;
  boot: string;
  pidNs: string;
  token: string;
}

const readOr = (read: () => string, fallback: string) => {
  try {
    return read().trim();
  } catch {
    return fallback;
  }
};
const ourIdentity = (): Identity => ({
  host: os.hostname(),
  boot: readOr(() => fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8"), "unknown"),
  pidNs: readOr(() => fs.readlinkSync("/proc/self/ns/pid"), "unknown"),
  token: crypto.randomBytes(8).toString("hex"),
});

/** The lock's text: the pid on the first line (what older versions wrote and read), then who. */
const lockText = (id: Identity) => `${process.pid}\n${JSON.stringify(id)}\n`;

function parseHolder(text: string): { pid: number; identity: Identity | null } {
  const [first, second] = text.split("\n");
  const pid = Number.parseInt(first ?? "", 10);
  let identity: Identity | null = null;
  try {
    identity = second ? (JSON.parse(second) as Identity) : null;
  } catch {
    identity = null;
  }
  return { pid, identity };
}

const sameNamespace = (a: Identity, b: Identity) => a.host === b.host && a.boot === b.boot && a.pidNs === b.pidNs && a.pidNs !== "unknown";

function heartbeatAgeMs(lockPath: string): number {
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Directories this process holds: a second open in the same process is refused too,
// because two PGlite instances on one directory corrupt it just the same.
const heldHere = new Set<string>();

function readHolder(lockPath: string): string | "gone" {
  try {
    return fs.readFileSync(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
}

/**
 * PGlite is one process per directory. The lock file holding our pid is created atomically
 * (a hard link from a complete temp file, so nobody ever reads it half-written); a lock
 * left by a dead process is renamed away, which only one contender can win.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const resolved = path.resolve(dir);
  if (heldHere.has(resolved)) throw new DataDirLockedError(resolved, process.pid);
  fs.mkdirSync(resolved, { recursive: true });
  const lockPath = path.join(resolved, "hearth.lock");
  const temp = `${lockPath}.${process.pid}.tmp`;
  const me = ourIdentity();
  const text = lockText(me);
  fs.writeFileSync(temp, text);
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        fs.linkSync(temp, lockPath);
        return holdLock(resolved, lockPath, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readHolder(lockPath);
      if (holder === "gone") continue;
      const { pid, identity } = parseHolder(holder);
      if (identity && !sameNamespace(identity, me)) {
        // Another host, boot or PID namespace: its pid tells us nothing; its heartbeat does.
        const age = heartbeatAgeMs(lockPath);
        if (age < LOCK_STALE_MS) {
          throw new DataDirLockedError(
            resolved,
            pid,
            ` on ${identity.host} (another container or machine; its lock was renewed ${Math.round(age / 1000)} s ago — ` +
              `if that process is gone, the lock counts as abandoned ${LOCK_STALE_MS / 1000} s after its last renewal)`,
          );
        }
      } else if (Number.isFinite(pid) && pid !== process.pid && isAlive(pid)) {
        // Our own pid in a lock we do not hold is a leftover from an earlier life of this pid.
        throw new DataDirLockedError(resolved, pid);
      }
      const stale = `${lockPath}.stale.${process.pid}`;
      try {
        fs.renameSync(lockPath, stale);
        // Between our read and the rename another process may have taken the lock afresh:
        // if what we moved is not the stale lock we judged, put it back.
        if (readHolder(stale) !== holder) fs.linkSync(stale, lockPath);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "EEXIST") throw error;
      } finally {
        fs.rmSync(stale, { force: true });
      }
    }
    throw new Error(`Could not lock ${resolved}`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

const renewers = new Map<string, () => void>();

/**
 * Touches a lock this process holds at once. The heartbeat runs on the event loop, and opening
 * PGlite (its WASM compiled on the main thread) can hold the loop for seconds on a loaded
 * machine: the opener renews right after, so the lock is fresh the moment the database is open.
 */
export function renewDataDirLock(dir: string) {
  renewers.get(path.resolve(dir))?.();
}

function holdLock(dir: string, lockPath: string, text: string): () => void {
  heldHere.add(dir);
  let released = false;
  const renew = () => {
    try {
      if (fs.readFileSync(lockPath, "utf8") !== text) return;
      const now = new Date();
      fs.utimesSync(lockPath, now, now);
    } catch {
      // Gone or unreadable: nothing to renew.
    }
  };
  renewers.set(dir, renew);
  // The heartbeat: touch the lock while it is still ours, so a process that cannot see our
  // pid can tell that we are alive. unref: it never keeps the process up by itself.
  const beat = setInterval(renew, LOCK_HEARTBEAT_MS);
  beat.unref();
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    renewers.delete(dir);
    process.off("exit", release);
    heldHere.delete(dir);
    try {
      if (fs.readFileSync(lockPath, "utf8") === text) fs.unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", release);
  return release;
}
