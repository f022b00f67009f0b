import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "../common/resource";
import provider = require("./dynamic");
import { PEERS_INPUT, type Peers } from "./moves";
import type { Api, KeyType, KeyUsage } from "./schema";

export interface CmkArgs {
  /** Full region name, e.g. "ap-guangzhou". Changing it replaces the key. */
  region: pulumi.Input<string>;
  /**
   * Unique per account and region: 1-60 letters, digits, '-' or '_' (at most 32 with api "legacy-v2"), starting
   * with a letter or digit, not "kms-". Updated in place (UpdateAlias). A replacement that keeps the alias
   * deletes the old key first; on delete the old key's alias is renamed away, so it is free at once.
   */
  alias: pulumi.Input<string>;
  /** At most 1024 bytes. Updated in place. */
  description?: pulumi.Input<string>;
  /** Default ENCRYPT_DECRYPT ("ENCRYPT/DECRYPT" is read the same). Changing it replaces the key. */
  keyUsage?: pulumi.Input<KeyUsage | "ENCRYPT/DECRYPT">;
  /**
   * What kind of key: "kms-generated" (default; KMS makes the key material), "external" (API 3.0 only: the key
   * waits in PendingImport for imported material), "quantum" (api "legacy-v2" only). Words instead of the APIs'
   * numbers, which mean different things in API 3.0 (1 KMS-generated, 2 external) and the legacy API (1 normal,
   * 2 quantum). Changing it replaces the key.
   */
  type?: pulumi.Input<KeyType>;
  /** Default true. Toggled in place (EnableKey / DisableKey). */
  enabled?: pulumi.Input<boolean>;
  /** Days (7-30, default 7) between destroy and the key's deletion; the key stays PendingDelete meanwhile. */
  pendingWindowInDays?: pulumi.Input<number>;
  /**
   * Which API creates the key: "3.0" (default) or "legacy-v2" (the API 2.0 CreateKey). Every other call uses
   * API 3.0, so changing it later changes nothing on the key.
   */
  api?: pulumi.Input<Api>;
  /** Deadline for retries and waits of one operation (default 120). */
  timeoutSeconds?: pulumi.Input<number>;
  /**
   * Adopt an existing key: its KeyId, in `region`. On create the resource then takes that key over instead of
   * calling CreateKey: preview checks that the key exists, is not pending deletion, and has the keyUsage and type
   * given (a key cannot change them), and that no other key holds the alias; `up` then applies alias,
   * description and enabled. Pulumi's `import` resource option and `pulumi import` do not work for dynamic
   * resources (the provider host cannot read a resource it has no state for); this input does the same job.
   * Read only when the resource is created, like `import`: afterwards it may stay or be removed, and a
   * replacement creates a new key. Once adopted the key is managed like any other: destroy schedules its
   * deletion (use the `retainOnDelete` resource option to leave it).
   */
  adoptKeyId?: pulumi.Input<string>;
}

let batch: { id: string; names: string[]; done: Promise<void> } | undefined;

/**
 * The Cmks this program declares in the same turn of the event loop as `name` (see moves.ts): known once that
 * turn ends, so that the provider can tell whether a Cmk checked later may release an alias this one claims.
 * The provider's check removes it from the inputs: it is never stored.
 */
function peersOf(name: string): Promise<Peers> {
  if (!batch) {
    const current = {
      id: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      names: [] as string[],
      done: new Promise<void>((resolve) => setImmediate(resolve)),
    };
    batch = current;
    void current.done.then(() => {
      if (batch === current) batch = undefined;
    });
  }
  const b = batch;
  b.names.push(name);
  return b.done.then(() => ({ batch: b.id, name, names: [...b.names] }));
}

/**
 * A Tencent Cloud KMS customer master key. The ID is "<region>:<keyId>". Destroy renames the alias away,
 * disables the key and schedules its deletion (the key stays PendingDelete for pendingWindowInDays). A key
 * that is pending deletion or gone is gone for the resource. To manage a key that already exists, set adoptKeyId.
 */
export class Cmk extends KeylinkResource {
  public readonly region!: pulumi.Output<string>;
  public readonly alias!: pulumi.Output<string>;
  public readonly description!: pulumi.Output<string>;
  public readonly keyUsage!: pulumi.Output<string>;
  public readonly type!: pulumi.Output<string>;
  public readonly enabled!: pulumi.Output<boolean>;
  public readonly pendingWindowInDays!: pulumi.Output<number>;
  public readonly api!: pulumi.Output<string>;
  public readonly timeoutSeconds!: pulumi.Output<number | undefined>;
  /** The key's id (KeyId). */
  public readonly keyId!: pulumi.Output<string>;
  /** Enabled, Disabled, PendingImport or Archived. */
  public readonly keyState!: pulumi.Output<string>;
  /** TENCENT_KMS or EXTERNAL. */
  public readonly origin!: pulumi.Output<string>;
  /** Unix seconds. */
  public readonly createTime!: pulumi.Output<number>;

  constructor(name: string, args: CmkArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...args,
        [PEERS_INPUT]: peersOf(name),
        keyId: undefined,
        keyState: undefined,
        origin: undefined,
        createTime: undefined,
      },
      opts,
      "keylink",
      "Cmk",
    );
  }
}
