import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, LOCK_HEARTBEAT_MS, LOCK_STALE_MS, lockDataDir } from "../../models/db/data-dir-lock";
import { openDatabase, type DatabaseHandle } from "../../models/db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dirs: string[] = [];
const children: ChildProcess[] = [];
const handles: DatabaseHandle[] = [];

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-lock-"));
  dirs.push(dir);
  return dir;
};
const lockFile = (dir: string) => path.join(dir, "hearth.lock");
/** The pid line of a lock (what follows names the holder's host, boot and PID namespace). */
const readLock = (dir: string) => fs.readFileSync(lockFile(dir), "utf8").split("\n")[0];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

// A second process opening the same directory the way the server does.
const OPEN_SCRIPT = `
const { openDatabase } = await import("./models/db/client.ts");
const handle = await openDatabase({ kind: "pglite", dataDir: process.env.LOCK_TEST_DIR });
const result = await handle.db.execute("select 41 + 1 as answer");
console.log("opened " + JSON.stringify(result.rows[0]));
if (process.env.LOCK_TEST_HOLD) await new Promise(() => setInterval(() => {}, 1000));
await handle.close();
`;
const openInChild = (dir: string, hold = false) =>
  run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", OPEN_SCRIPT], {
    LOCK_TEST_DIR: dir,
    ...(hold ? { LOCK_TEST_HOLD: "1" } : {}),
  });

async function deadPid() {
  const { child, exited } = run("true", []);
  const pid = child.pid!;
  expect((await exited).code).toBe(0);
  return pid;
}

async function waitFor(check: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(async () => {
  while (handles.length)
    await handles
      .pop()!
      .close()
      .catch(() => {});
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("lockDataDir", () => {
  it("takes the lock with this pid and releases it by removing the file", () => {
    const dir = path.join(tempDir(), "nested", "data");
    const release = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    // Releasing twice is harmless, and the directory can be locked again.
    release();
    const again = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    again();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it("refuses a second lock in the same process, but takes over a leftover file with our pid", () => {
    // Two PGlite instances in one process corrupt a directory just as two processes do.
    const dir = tempDir();
    const first = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(readLock(dir)).toBe(String(process.pid));
    first();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    // After a restart in a container the new process may get the old pid: a lock file with
    // our pid that this process does not hold is a leftover and is taken over.
    fs.writeFileSync(lockFile(dir), String(process.pid));
    const again = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    again();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it("refuses a directory whose lock holds a live process, naming it", async () => {
    const dir = tempDir();
    const { child, exited } = run("sleep", ["60"]);
    fs.writeFileSync(lockFile(dir), String(child.pid));
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain(`process ${child.pid}`);
    expect((error as Error).message).toMatch(/already open/);
    expect(readLock(dir)).toBe(String(child.pid)); // the holder's lock is left alone
    child.kill("SIGKILL");
    await exited;
    // Once that process is gone, its lock is stale.
    const release = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    release();
  });

  it("takes over a stale lock left by a dead process, or an unreadable one", async () => {
    const dir = tempDir();
    const pid = await deadPid();
    fs.writeFileSync(lockFile(dir), String(pid));
    const release = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);

    fs.writeFileSync(lockFile(dir), "garbage");
    const again = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    again();
  });

  // Two containers on one volume: the holder's pid means nothing here (it may not exist, or be
  // some other process of ours); only its heartbeat does.
  const foreignLock = (dir: string, pid: number, ageMs: number) => {
    const identity = { host: "other-container", boot: "another-boot", pidNs: "pid:[1]", token: "t" };
    fs.writeFileSync(lockFile(dir), `${pid}\n${JSON.stringify(identity)}\n`);
    const at = new Date(Date.now() - ageMs);
    fs.utimesSync(lockFile(dir), at, at);
  };

  it("refuses a lock from another PID namespace that is still heartbeating, even when its pid does not exist here", async () => {
    const dir = tempDir();
    const pid = await deadPid();
    foreignLock(dir, pid, 500);
    expect(() => lockDataDir(dir)).toThrow(/other-container/);
    expect(readLock(dir)).toBe(String(pid));
  });

  it("takes over a lock from another PID namespace whose heartbeat stopped, even when its pid is alive here", () => {
    const dir = tempDir();
    // pid 1 exists here, but it is not the holder: the stale heartbeat is what counts.
    foreignLock(dir, 1, LOCK_STALE_MS + 5000);
    const release = lockDataDir(dir);
    expect(readLock(dir)).toBe(String(process.pid));
    release();
  });

  it("the holder keeps its heartbeat going", async () => {
    const dir = tempDir();
    const { child } = openInChild(dir, true);
    await waitFor(() => fs.existsSync(lockFile(dir)) && readLock(dir) === String(child.pid), 60_000);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockFile(dir), old, old);
    await waitFor(() => fs.statSync(lockFile(dir)).mtimeMs > old.getTime() + 30_000, LOCK_HEARTBEAT_MS * 10);
    child.kill("SIGKILL");
  });

  it("does not remove a lock that another process has taken since", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    fs.writeFileSync(lockFile(dir), "999999999");
    release();
    expect(readLock(dir)).toBe("999999999");
  });
});

// A real second PID namespace (root with util-linux's unshare): the holder is pid 1 in its
// namespace, a pid that exists here as someone else. Killed, it must still be recovered.
const canUnshare = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    return spawnSync("unshare", ["--pid", "--fork", "true"]).status === 0;
  } catch {
    return false;
  }
})();

describe.runIf(canUnshare)("a holder in another PID namespace (unshare --pid)", () => {
  it("is refused while it lives, and recovered once its heartbeat stops after SIGKILL", async () => {
    const dir = tempDir();
    const held = run("unshare", ["--pid", "--fork", "--kill-child", process.execPath, "--import", "tsx", "--input-type=module", "-e", OPEN_SCRIPT], {
      LOCK_TEST_DIR: dir,
      LOCK_TEST_HOLD: "1",
    });
    await waitFor(() => held.output().includes("opened"), 60_000);
    expect(readLock(dir)).toBe("1");
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    held.child.kill("SIGKILL");
    await held.exited;
    // pid 1 is alive here (our init), so only the stopped heartbeat can free the directory.
    let release: (() => void) | undefined;
    await waitFor(() => {
      try {
        release = lockDataDir(dir);
        return true;
      } catch {
        return false;
      }
    }, LOCK_STALE_MS * 4);
    expect(readLock(dir)).toBe(String(process.pid));
    release!();
  }, 120_000);
});

describe("openDatabase on a PGlite directory across processes", () => {
  it("a second process is refused while this one holds the directory, and succeeds after close", async () => {
    const dir = tempDir();
    const handle = await openDatabase({ kind: "pglite", dataDir: dir });
    handles.push(handle);
    await handle.migrate();
    expect(readLock(dir)).toBe(String(process.pid));

    const refused = await openInChild(dir).exited;
    expect(refused.code).not.toBe(0);
    expect(refused.code).not.toBeNull();
    expect(refused.stderr).toContain("DataDirLockedError");
    expect(refused.stderr).toContain(`The embedded database in ${dir} is already open in process ${process.pid}`);
    expect(refused.stdout).not.toContain("opened");
    // The refused process must not have disturbed our lock or our database.
    expect(readLock(dir)).toBe(String(process.pid));
    const tables = await handle.db.execute("select count(*)::int as n from information_schema.tables where table_name = 'accounts'");
    expect((tables.rows[0] as { n: number }).n).toBe(1);

    await handle.close();
    handles.pop();
    expect(fs.existsSync(lockFile(dir))).toBe(false);

    const opened = await openInChild(dir).exited;
    expect(opened.stderr).not.toContain("DataDirLockedError");
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain('opened {"answer":42}');
    // The child released its lock on close.
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it("a process killed while holding the directory leaves a stale lock that the next opener takes over", async () => {
    const dir = tempDir();
    const holder = openInChild(dir, true);
    await waitFor(() => holder.output().includes("opened"), 45_000);
    expect(readLock(dir)).toBe(String(holder.child.pid));

    // While it lives, this process is refused too.
    await expect(openDatabase({ kind: "pglite", dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);

    holder.child.kill("SIGKILL");
    const gone = await holder.exited;
    expect(gone.signal).toBe("SIGKILL");
    expect(readLock(dir)).toBe(String(holder.child.pid)); // left behind

    const handle = await openDatabase({ kind: "pglite", dataDir: dir });
    handles.push(handle);
    expect(readLock(dir)).toBe(String(process.pid));
    const result = await handle.db.execute("select 1 as one");
    expect(result.rows).toEqual([{ one: 1 }]);
  });
});
