import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "../common/resource";
import provider = require("./dynamic");
import type { WrappingAlgorithm } from "../../clouds/facts/alibaba-kms";

export type ImportedKeyMaterialWrappingAlgorithm = WrappingAlgorithm;

export interface ImportedKeyMaterialArgs {
  /** Region of the key, e.g. cn-hangzhou (the KMS endpoint). Changing it replaces the resource. */
  region: pulumi.Input<string>;
  /** Id of a KMS key created with Origin EXTERNAL. Changing it replaces the resource. */
  keyId: pulumi.Input<string>;
  /**
   * Base64 of the raw key material: 32 bytes for Aliyun_AES_256 keys, 16 bytes for Aliyun_SM4. Stored as a
   * secret. KMS accepts only the material first imported into a key; new material needs a new key.
   */
  keyMaterial: pulumi.Input<string>;
  /** When the material expires: an ISO 8601 date or Unix seconds. Absent = never. Changing it re-imports. */
  expireAt?: pulumi.Input<string | number>;
  /** How the material is wrapped for transport; default RSAES_OAEP_SHA_256. */
  wrappingAlgorithm?: pulumi.Input<ImportedKeyMaterialWrappingAlgorithm>;
  /** Wrapping key spec; only RSA_2048. */
  wrappingKeySpec?: pulumi.Input<"RSA_2048">;
  /** Deadline in seconds for the import and for retrying busy or throttled calls; default 300. */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * Key material imported into an Alibaba Cloud KMS key whose Origin is EXTERNAL (GetParametersForImport,
 * ImportKeyMaterial; DeleteKeyMaterial on delete). Refresh shows material that expired or was deleted outside
 * Pulumi (keyState PendingImport); the next `pulumi up` imports it again.
 *
 * Adopting material already in the key (`pulumi import` does not work for dynamic resources): declare it with the
 * same keyMaterial. Create imports that material again, which KMS accepts only for the material first imported
 * (other material fails with InvalidKeyMaterial), and applies expireAt.
 */
export class ImportedKeyMaterial extends KeylinkResource {
  public readonly region!: pulumi.Output<string>;
  public readonly keyId!: pulumi.Output<string>;
  /** Secret. */
  public readonly keyMaterial!: pulumi.Output<string>;
  public readonly expireAt!: pulumi.Output<string | number | undefined>;
  public readonly wrappingAlgorithm!: pulumi.Output<ImportedKeyMaterialWrappingAlgorithm>;
  public readonly wrappingKeySpec!: pulumi.Output<string>;
  public readonly timeoutSeconds!: pulumi.Output<number | undefined>;
  /** KeySpec of the key, e.g. Aliyun_AES_256. */
  public readonly keySpec!: pulumi.Output<string>;
  /** KeyState as KMS reports it: Enabled or Disabled with material, PendingImport without. */
  public readonly keyState!: pulumi.Output<string>;
  public readonly origin!: pulumi.Output<string>;
  /** Material expiry as KMS shows it (ISO 8601 UTC); empty = never. */
  public readonly materialExpireTime!: pulumi.Output<string>;
  /** HMAC-SHA256 of the material keyed by the key id: tells materials apart without revealing one. */
  public readonly materialFingerprint!: pulumi.Output<string>;

  constructor(name: string, args: ImportedKeyMaterialArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...args,
        keyMaterial: pulumi.secret(args.keyMaterial),
        keySpec: undefined,
        keyState: undefined,
        origin: undefined,
        materialExpireTime: undefined,
        materialFingerprint: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "keyMaterial"] },
      "keylink",
      "ImportedKeyMaterial",
    );
  }
}
