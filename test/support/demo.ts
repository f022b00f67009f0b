// The demo project's secrets and the stack config that carries them, as scripts/demo.ts sets them: the CKN plain,
// the rest secret. Shared by the end-to-end suites that run the demo (drift, engine).
import { randomBytes } from "node:crypto";
import type { ConfigValue } from "../../scripts/engine";

export interface DemoSecrets {
  ckn: string;
  cak: string;
  psk1: string;
  psk2: string;
  keyMaterial: string;
}

/** The demo's secrets, of the shapes scripts/demo.ts generates. */
export function demoSecrets(): DemoSecrets {
  return {
    ckn: randomBytes(32).toString("hex").toUpperCase(),
    cak: randomBytes(32).toString("hex").toUpperCase(),
    psk1: randomBytes(12).toString("base64url"),
    psk2: randomBytes(12).toString("base64url"),
    keyMaterial: randomBytes(32).toString("base64"),
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
