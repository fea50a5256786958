import { vi } from "vitest";

// What a test's own process prints: console calls, and everything written to stdout and stderr (the
// app's JSON log lines among it), at LOG_LEVEL=debug so that no log line is left out. What is watched
// stays out of the test report. vi.restoreAllMocks() and vi.unstubAllEnvs() end the watch.

const consoleMethods = ["log", "info", "warn", "error", "debug"] as const;
const streams = [process.stdout, process.stderr] as const;

/** Records what the process prints from now on, the log at every level included. */
export function watchPrinted(): void {
  for (const method of consoleMethods) vi.spyOn(console, method).mockImplementation(() => {});
  for (const stream of streams) vi.spyOn(stream, "write").mockImplementation(() => true);
  vi.stubEnv("LOG_LEVEL", "debug");
}

/** What was printed while watched: one string per console call or stream write. */
export function printed(): string[] {
  return [
    ...consoleMethods.flatMap((method) =>
      vi.mocked(console[method]).mock.calls.map((args) => args.map(String).join(" ")),
    ),
    ...streams.flatMap((stream) => vi.mocked(stream.write).mock.calls.map((args) => String(args[0]))),
  ];
}

/** The JSON log lines printed while watched. */
export function printedLogLines(): Record<string, unknown>[] {
  return printed()
    .flatMap((text) => text.split("\n"))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
