// The CMK program of test/e2e/concurrent.e2e.test.ts: one Cmk whose alias comes from stack config
// (concurrent:alias), as two teams' stacks in one account and region have.
import * as pulumi from "@pulumi/pulumi";
import { Cmk } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("concurrent");
  const key = new Cmk("team-key", { region: "ap-guangzhou", alias: cfg.require("alias") });
  return { keyId: key.keyId };
};
