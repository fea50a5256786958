import { log } from "../../app/lib/log.server.ts";

/** How long a shutdown may take before the process exits anyway (with 1). */
export const SHUTDOWN_DEADLINE_MS = 28_000;

/**
 * On SIGINT or SIGTERM: logs "`name` stopping", runs `stop`, logs "`name` stopped" and exits 0. A
 * second signal, or a stop still running after SHUTDOWN_DEADLINE_MS, exits at once with 1.
 */
export function onShutdown(
  name: string,
  stop: (signal: NodeJS.Signals) => Promise<void>,
  fields: () => Record<string, unknown> = () => ({}),
): void {
  let stopping = false;
  const handle = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn("second signal: exiting without waiting", { signal });
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    log.info(`${name} stopping`, { signal, ...fields() });
    setTimeout(() => {
      log.error("shutdown did not finish in time: exiting", { signal, deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await stop(signal);
    log.info(`${name} stopped`, { signal, durationMs: Date.now() - started });
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, (s: NodeJS.Signals) => void handle(s));
  stopWithParent();
}

/**
 * When STOP_WITH_PID names a process (the demo that started this one), this one stops in order, as
 * on SIGTERM, once that process is gone, even if it was killed without a chance to stop its children.
 */
function stopWithParent(): void {
  const pid = Number(process.env.STOP_WITH_PID);
  if (!Number.isInteger(pid) || pid <= 0) return;
  setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      process.kill(process.pid, "SIGTERM");
    }
  }, 1000).unref();
}
