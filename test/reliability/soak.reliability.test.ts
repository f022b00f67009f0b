// The soak runner (scripts/soak.ts) as CI runs it: a short soak of one fault run and one kill run, through the
// runner's own command line, bounded to a few minutes. It must exit 0, print the table and write the JSON with
// every run converged and nothing orphaned, duplicated or leaked. The long soak's figures are in the README.
// RELIABILITY_SEED=<seed> replays with another base seed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { baseSeed } from "../support/reliability/harness";

jest.setTimeout(900_000);

const REPO_ROOT = path.resolve(__dirname, "..", "..");

interface Results {
  summaries: Array<{
    kind: string;
    runs: number;
    converged: number;
    orphans: number;
    duplicates: number;
    secretsFound: number;
  }>;
  runs: Array<{ kind: string; seed: number; converged: boolean; replay: string; failure?: string }>;
}

it("a short soak (one fault run, one kill run) converges with no orphan, duplicate or secret", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-soak-"));
  const out = path.join(dir, "results.json");
  const seed = baseSeed(20251125);
  try {
    const args = ["--runs", "1", "--kills", "1", "--seed", String(seed), "--minutes", "12", "--out", out];
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "scripts/soak.ts", ...args],
        {
          cwd: REPO_ROOT,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const o: string[] = [];
      const e: string[] = [];
      child.stdout.on("data", (d: Buffer) => o.push(d.toString()));
      child.stderr.on("data", (d: Buffer) => e.push(d.toString()));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout: o.join(""), stderr: e.join("") }));
    });
    console.log(stderr);
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/\| kind \| runs \| converged \|/);
    const results = JSON.parse(fs.readFileSync(out, "utf8")) as Results;
    expect(results.runs.map((r) => ({ kind: r.kind, converged: r.converged, failure: r.failure }))).toEqual([
      { kind: "fault", converged: true, failure: undefined },
      { kind: "kill", converged: true, failure: undefined },
    ]);
    // Each run names the command that replays it alone.
    expect(results.runs[0].replay).toBe(`npm run soak -- --runs 1 --kills 0 --seed ${seed}`);
    expect(results.summaries.find((s) => s.kind === "all")).toMatchObject({
      runs: 2,
      converged: 2,
      orphans: 0,
      duplicates: 0,
      secretsFound: 0,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
