// The program of test/e2e/secret-inputs.e2e.test.ts: one resource whose input named by `secret-inputs:case` is
// `secret-inputs:value` parsed as JSON, so it keeps the type the stack config gives it (a number, an object)
// instead of the string the resource expects; `secret-inputs:secretValue` gives it as a Pulumi secret instead.
// `secret-inputs:length` makes the case "huge" a string of that many characters (too big for stack config,
// which reaches the program through the environment).
import * as pulumi from "@pulumi/pulumi";
import { Cmk, ImportedKeyMaterial, MacsecKeyAssociation, VpnConnectionConfig } from "pulumi-keylink";

const cfg = new pulumi.Config("secret-inputs");
const HANGZHOU = "cn-hangzhou";

/** A value of a type the resource classes' types would never let a program pass. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (v: unknown): any => v;
const value = () =>
  untyped(cfg.getObject<unknown>("value") ?? cfg.requireSecretObject<unknown>("secretValue"));

switch (cfg.require("case")) {
  case "cak":
    new MacsecKeyAssociation("mac", {
      region: HANGZHOU,
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-XPN-256",
      ckn: "A".repeat(64),
      cak: value(),
    });
    break;
  case "keyMaterial":
    new ImportedKeyMaterial("byok", { region: HANGZHOU, keyId: "key-byok-demo-0001", keyMaterial: value() });
    break;
  case "psk":
    new VpnConnectionConfig("vpn", {
      region: HANGZHOU,
      vpnConnectionId: "vco-demo0001",
      ikeConfig: { psk: value() },
    });
    break;
  case "huge":
    new Cmk("huge", {
      region: "ap-guangzhou",
      alias: "ok-alias",
      type: untyped("k".repeat(cfg.requireNumber("length"))),
    });
    break;
  default:
    throw new Error(`secret-inputs:case: unknown case '${cfg.require("case")}'`);
}
