// Structured logs: one JSON object a line (time, level, msg, then fields such as shop, runId,
// resource, jobId), info and debug to stdout, warn and error to stderr. LOG_FORMAT=pretty prints
// `time LEVEL msg key=value` for a person at a terminal; LOG_LEVEL (debug, info, warn, error, silent)
// drops what is below it. Both come from the configuration's module (logSettings, env.server.ts),
// read at each line and never validated: the logger must work before the configuration is valid, to
// say that it is not.
//
// Everything logged passes through redact(): secrets and customers' personal data never reach a line.

import { logSettings, secretValues } from "./env.server.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger adding `fields` to every line. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const REDACTED = "[redacted]";

// Keys whose values are never printed, compared without case, `-` or `_`.
const SECRET_KEY = /token|secret|password|passwd|authorization|cookie|hmac|signature|apikey$|^session$|^sessions$/;
const PERSONAL_KEY =
  /email|phone|^(first|last|full|display)name$|address|^zip$|^postcode$|^city$|^province|^company$|^note$|^customer$|^billing|^shipping(address)?$|^ip$|^clientip|^browserip/;

// Query parameters carrying credentials: session tokens, webhook and proxy signatures, OAuth codes.
const SECRET_PARAM =
  /([?&;]|\b)(id_token|session|hmac|signature|access_token|refresh_token|token|code|client_secret|password)=([^&\s"'#;]*)/gi;
// Query parameters that may carry a customer's name, email or phone (the list pages' search box).
const PERSONAL_PARAM = /([?&;])(q|query|search|email|phone|name|first_name|last_name)=([^&\s"'#;]*)/gi;
const SHOPIFY_TOKEN = /\bshp(at|ua|ca|ss|pa|rt)_[A-Za-z0-9]+/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JSON_SECRET =
  /"(access_token|refresh_token|id_token|session_token|token|client_secret|password)"\s*:\s*"[^"]*"/gi;
const URL_PASSWORD = /(\/\/[^:/@\s]+):([^@/\s]+)@/g;
const EMAIL = /[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi;

function normalisedKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

export function isRedactedKey(key: string): boolean {
  const k = normalisedKey(key);
  return SECRET_KEY.test(k) || PERSONAL_KEY.test(k);
}

/** A string with credentials in URLs, tokens, passwords in connection strings and emails taken out. */
export function redactText(text: string): string {
  let out = text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(SECRET_PARAM, (_match, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(PERSONAL_PARAM, (_match, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(JSON_SECRET, (_match, name: string) => `"${name}":"${REDACTED}"`)
    .replace(SHOPIFY_TOKEN, REDACTED)
    .replace(JWT, REDACTED)
    .replace(AUTH_SCHEME, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(EMAIL, "[redacted email]");
  for (const secret of secretValues()) out = out.split(secret).join(REDACTED);
  return out;
}

function serialiseError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: redactText(error.message) };
  for (const key of ["code", "status", "requestId"] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === "string" || typeof value === "number") out[key] = value;
  }
  if (error.stack) out.stack = redactText(error.stack);
  if (error.cause !== undefined) out.cause = redactValue(error.cause, depth + 1, seen);
  return out;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof URL) return redactText(value.toString());
  if (seen.has(value)) return "[circular]";
  if (depth > 6) return "[nested]";
  seen.add(value);
  try {
    if (value instanceof Error) return serialiseError(value, depth, seen);
    if (typeof Headers !== "undefined" && value instanceof Headers)
      return redactValue(Object.fromEntries(value), depth + 1, seen);
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Map) return redactValue(Object.fromEntries(value), depth + 1, seen);
    if (value instanceof Set) return redactValue([...value], depth + 1, seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        isRedactedKey(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Any value made safe to log: secret and personal keys replaced, strings scrubbed, errors flattened. */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

export interface LoggerOptions {
  fields?: LogFields;
  level?: LogLevel | "silent";
  format?: "json" | "pretty";
  /** Where lines go (tests); by default stdout, or stderr for warn and error. */
  write?: (line: string, level: LogLevel) => void;
}

const writeStd = (line: string, level: LogLevel) =>
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(`${line}\n`);

function pretty(entry: Record<string, unknown>): string {
  const { time, level, msg, ...fields } = entry;
  const rest = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${rest ? ` ${rest}` : ""}`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? writeStd;
  const base = options.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    // Read at each line, so that a script can choose them after its imports ran.
    const settings = logSettings();
    if (RANK[level] < RANK[options.level ?? settings.level]) return;
    const format = options.format ?? settings.format;
    // time, level and msg come first, and no field can overwrite them.
    const { time: _time, level: _level, msg: _msg, ...safe } = redact({ ...base, ...fields }) as LogFields;
    const entry = { time: new Date().toISOString(), level, msg: redactText(msg), ...safe };
    try {
      write(format === "pretty" ? pretty(entry) : JSON.stringify(entry), level);
    } catch {
      // A closed stdout must not take the process down with it.
    }
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** The process's logger. */
export const log: Logger = createLogger();

/** A logger that prints nothing (tests that exercise code which logs). */
export const silentLogger: Logger = createLogger({ level: "silent" });
