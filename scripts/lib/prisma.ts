import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "./database.ts";

// Prisma's CLI through the driver adapter and its bundled WebAssembly engines (see prisma.config.ts).
export function runPrisma(args: string[], databaseUrl: string, options: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(projectRoot, "node_modules/.bin/prisma"), args, {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PRISMA_CLI_QUERY_ENGINE_TYPE: "client",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
        NODE_OPTIONS: `--require ${path.join(projectRoot, "scripts/lib/prisma-cli-exit.cjs")}`,
      },
      stdio: options.quiet ? ["ignore", "pipe", "pipe"] : ["inherit", "pipe", "inherit"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk;
      if (!options.quiet) process.stdout.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`prisma ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}
