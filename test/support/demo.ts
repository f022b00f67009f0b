// The demo project's secrets and the stack config that carries them, as scripts/demo.ts sets them: the CKN plain,
// the rest secret. Shared by the suites that run the demo (drift, engine, reliability) and the soak runner.
import { randomBytes } from "node:crypto";
import type { ConfigValue } from "../../scripts/engine";

export interface DemoSecrets {
  ckn: string;
  cak: string;
  psk1: string;
  psk2: string;
  keyMaterial: string;
}

/** The demo's secrets, of the shapes scripts/demo.ts generates, from `bytes` (random, or seeded to replay). */
export function demoSecrets(bytes: (n: number) => Buffer = randomBytes): DemoSecrets {
  return {
    ckn: bytes(32).toString("hex").toUpperCase(),
    cak: bytes(32).toString("hex").toUpperCase(),
    psk1: bytes(12).toString("base64url"),
    psk2: bytes(12).toString("base64url"),
    keyMaterial: bytes(32).toString("base64"),
  };
}

/** The demo's stack config for `s`. */
export function demoConfig(s: DemoSecrets): Record<string, ConfigValue> {
  return {
    "demo:ckn": { value: s.ckn },
    "demo:cak": { value: s.cak, secret: true },
    "demo:psk1": { value: s.psk1, secret: true },
    "demo:psk2": { value: s.psk2, secret: true },
    "demo:keyMaterial": { value: s.keyMaterial, secret: true },
  };
}
