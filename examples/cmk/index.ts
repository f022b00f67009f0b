// A Tencent Cloud KMS customer master key. Stack config (namespace "example") varies it.
import * as pulumi from "@pulumi/pulumi";
import { Cmk } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("example");
  const key = new Cmk("app-key", {
    region: cfg.get("region") ?? "ap-guangzhou",
    alias: cfg.get("alias") ?? "app-data-key",
    description: cfg.get("description") ?? "Encrypts application data",
    keyUsage:
      cfg.get("keyUsage") === "ASYMMETRIC_DECRYPT_RSA_2048"
        ? "ASYMMETRIC_DECRYPT_RSA_2048"
        : "ENCRYPT_DECRYPT",
    enabled: cfg.getBoolean("enabled") ?? true,
    api: cfg.get("api") === "legacy-v2" ? "legacy-v2" : "3.0",
    // To manage a key that already exists: pulumi config set example:adoptKeyId <KeyId>
    adoptKeyId: cfg.get("adoptKeyId"),
  });
  return { keyId: key.keyId, alias: key.alias, keyState: key.keyState };
};
