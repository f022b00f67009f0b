// Key material brought into an Alibaba Cloud KMS key of origin EXTERNAL. The material is a stack secret:
//   pulumi config set --secret example:keyMaterial "$(openssl rand -base64 32)"
import * as pulumi from "@pulumi/pulumi";
import { ImportedKeyMaterial } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("example");
  const material = new ImportedKeyMaterial("byok", {
    region: "cn-hangzhou",
    keyId: cfg.get("keyId") ?? "key-byok-demo-0001",
    keyMaterial: cfg.requireSecret("keyMaterial"),
    expireAt: cfg.get("expireAt"),
  });
  return { keyState: material.keyState, materialExpireTime: material.materialExpireTime };
};
