// sdk/python is generated from schema.json by the Pulumi CLI (scripts/python-sdk.sh): the checked-in SDK must be
// what a fresh generation gives.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");

function files(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of files(p, base)) out.set(k, v);
    else out.set(path.relative(base, p), fs.readFileSync(p, "utf8"));
  }
  return out;
}

test("the checked-in sdk/python is a fresh generation from schema.json (run scripts/python-sdk.sh)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keylink-python-sdk-"));
  try {
    const out = path.join(tmp, "python");
    execFileSync("bash", [path.join(REPO, "scripts", "python-sdk.sh"), out], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const fresh = files(out);
    const checkedIn = files(path.join(REPO, "sdk", "python"));
    expect([...checkedIn.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect([name, checkedIn.get(name)]).toEqual([name, text]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 900_000);
