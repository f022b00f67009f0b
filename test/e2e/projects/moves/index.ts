// The program of test/e2e/moves.e2e.test.ts: two Cmks whose aliases come from stack config (moves:xAlias,
// moves:yAlias), so that the suite swaps them with `pulumi config set-all` and `pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { Cmk } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("moves");
  const x = new Cmk("x", { region: "ap-guangzhou", alias: cfg.require("xAlias") });
  const y = new Cmk("y", { region: "ap-guangzhou", alias: cfg.require("yAlias") });
  return { x: x.keyId, y: y.keyId };
};
