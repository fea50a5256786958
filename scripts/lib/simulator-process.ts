import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Dispatcher } from "undici";
import { simulatorDispatcher } from "../../simulator/dispatcher.ts";
import { projectRoot } from "./database.ts";

// The simulator in a process of its own (so it does not share an event loop with the app), for the
// demo and the benches. Its startup summary is read from its --json output.

export interface SimulatorProcess {
  url: string;
  httpsUrl: string;
  control: string;
  certPaths: { ca: string; cert: string; key: string };
  tokens: { shop: string; apiKey: string; accessToken: string; refreshToken?: string; scope: string }[];
  dispatcher(): Dispatcher;
  stop(): Promise<void>;
}

/** Starts a Node script of the project and reads the first line it prints. */
export async function startScript(script: string, args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it started`)));
  });
  return { child, line };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startSimulatorProcess(args: string[]): Promise<SimulatorProcess> {
  const { child, line } = await startScript("simulator/cli.ts", [
    "--port",
    "0",
    "--https-port",
    "0",
    "--json",
    ...args,
  ]);
  const info = JSON.parse(line) as Omit<SimulatorProcess, "dispatcher" | "stop">;
  const caPem = readFileSync(info.certPaths.ca, "utf8");
  const https = new URL(info.httpsUrl);
  const http = new URL(info.url);
  return {
    ...info,
    dispatcher: () =>
      simulatorDispatcher({ host: https.hostname, httpsPort: Number(https.port), httpPort: Number(http.port), caPem }),
    stop: () => stopChild(child),
  };
}
