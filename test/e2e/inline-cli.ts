// The CLI itself on an inline program, for flags the Automation API does not offer (--json): the program is
// served, as the Automation API serves it, by a language server in this process that the CLI reaches with
// --client. Goes away once the suites run as project directories (plain `pulumi preview --json`).
import * as grpc from "@grpc/grpc-js";
import type { E2E } from "./support";

type Program = () => Promise<Record<string, unknown>>;

export async function cliWithProgram(
  e2e: E2E,
  program: Program,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  const { LanguageServer } = require("@pulumi/pulumi/automation/server") as {
    LanguageServer: new (p: Program) => grpc.UntypedServiceImplementation & {
      onPulumiExit(hasError: boolean): void;
    };
  };
  const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb") as {
    LanguageRuntimeService: grpc.ServiceDefinition;
  };
  const server = new grpc.Server();
  const language = new LanguageServer(program);
  server.addService(langrpc.LanguageRuntimeService, language);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const r = await e2e.opened.cli([...args, `--client=127.0.0.1:${port}`, "--exec-kind", "auto.inline"]);
  language.onPulumiExit(r.code !== 0);
  server.forceShutdown();
  e2e.output.push(r.stdout, r.stderr);
  return r;
}

/** The messages of the warnings in `pulumi ... --json` output (one JSON document, or one event per line). */
export function jsonWarnings(stdout: string): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.severity === "warning" && typeof o.message === "string") found.push(o.message);
      Object.values(o).forEach(visit);
    }
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const whole = parse(stdout);
  if (whole !== undefined) visit(whole);
  else for (const line of stdout.split("\n")) visit(parse(line));
  return found;
}
