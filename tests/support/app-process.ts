import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { expect } from "vitest";
import { projectRoot } from "../../scripts/lib/database.ts";
import type { Harness } from "./ingest-harness.ts";

// The app's processes (`npm start`, `npm run worker`, `npm run sync`) as real children against the
// test's database and the simulator, with their JSON log lines read as they come.

export interface LogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface AppProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Output lines that are not one JSON object. */
  unstructured: string[];
  output(): string;
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
  signalled(signal: NodeJS.Signals): number;
}

const children: ChildProcess[] = [];

/** Kills (SIGKILL) every process startProcess started that still runs. */
export function killProcesses(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** Remembers a process started otherwise, for killProcesses. */
export function trackProcess(child: ChildProcess): void {
  children.push(child);
}

/**
 * One of the app's processes (`script` under the project, run by this Node; or `command` given whole,
 * such as npm) against the test's database, with the simulator standing in for Shopify.
 */
export function startProcess(
  h: Harness,
  script: string | { command: string; args: string[] },
  extraEnv: Record<string, string> = {},
): AppProcess {
  const [command, args] =
    typeof script === "string" ? [process.execPath, [path.join(projectRoot, script)]] : [script.command, script.args];
  const name = typeof script === "string" ? script : [script.command, ...script.args].join(" ");
  const child = spawn(command, args, {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      SYNC_INTERVAL_MINUTES: "0",
      // The simulator stands in for Shopify at the network layer, as in the demo.
      NODE_OPTIONS: `--import ${path.join(projectRoot, "scripts/lib/shopify-network.ts")}`,
      SIMULATOR_HTTPS_PORT: new URL(h.sim.httpsUrl).port,
      SIMULATOR_CA_FILE: h.sim.certPaths.ca,
      ...extraEnv,
    },
  });
  children.push(child);
  const lines: LogLine[] = [];
  const unstructured: string[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      raw.push(line);
      if (!line.trim()) return;
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        unstructured.push(line);
      }
      for (const wake of waiters) wake();
    });
  }
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, afterMs: Date.now() - signalledAt })),
  );
  return {
    child,
    lines,
    unstructured,
    output: () => raw.join("\n"),
    exited,
    signalled(signal) {
      signalledAt = Date.now();
      child.kill(signal);
      return signalledAt;
    },
    waitFor(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${raw.join("\n")}`));
        }, timeoutMs);
        const check = () => {
          const found = lines.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`${name} exited before the log line; output:\n${raw.join("\n")}`));
        });
      });
    },
  };
}

export function expectStructured(app: AppProcess) {
  expect(app.unstructured).toEqual([]);
  for (const line of app.lines) {
    expect(line).toMatchObject({ time: expect.any(String), level: expect.any(String), msg: expect.any(String) });
  }
}
