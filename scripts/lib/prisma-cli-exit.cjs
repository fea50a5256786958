// Preloaded into Prisma's CLI by scripts/lib/prisma.ts. The WebAssembly schema engine leaves long
// timers armed (10 s after `migrate deploy`, 60 s after `migrate dev`) that keep the finished CLI
// process alive. Long timers do not hold the process open here; sockets of work in progress still do.
const { setTimeout: arm } = globalThis;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = arm(callback, delay, ...args);
  if (Number(delay) >= 5000) timer.unref();
  return timer;
};
