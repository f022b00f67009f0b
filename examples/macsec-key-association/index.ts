// A MACsec CKN/CAK key set on an Alibaba Cloud Express Connect dedicated physical connection.
//   pulumi config set --secret example:cak <64 hex characters>
import * as pulumi from "@pulumi/pulumi";
import { MacsecKeyAssociation } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("example");
  const key = new MacsecKeyAssociation("link-key", {
    region: "cn-hangzhou",
    physicalConnectionId: cfg.get("physicalConnectionId") ?? "pc-demo0001",
    cipherSuite: "GCM-AES-XPN-256",
    ckn: cfg.require("ckn"),
    cak: cfg.requireSecret("cak"),
  });
  return { status: key.status, activeCkn: key.activeCkn };
};
