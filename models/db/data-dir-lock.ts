import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already open in process ${pid}. ` +
        `Two processes on one PGlite directory lose data: stop that process first ` +
        `(or point DATA_DIR elsewhere).`,
    );
    this.name = "DataDirLockedError";
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
  fs.writeFileSync(temp, String(process.pid));
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        fs.linkSync(temp, lockPath);
        return holdLock(resolved, lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readHolder(lockPath);
      if (holder === "gone") continue;
      const pid = Number.parseInt(holder, 10);
      // Our own pid in a lock we do not hold is a leftover from an earlier life of this pid.
      if (Number.isFinite(pid) && pid !== process.pid && isAlive(pid)) {
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

function holdLock(dir: string, lockPath: string): () => void {
  heldHere.add(dir);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    heldHere.delete(dir);
    try {
      if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", release);
  return release;
}
