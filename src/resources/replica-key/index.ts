import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "../common/resource";
import provider = require("./dynamic");

export interface ReplicaKeyArgs {
  /** ID of the multi-region primary key to replicate. Set this, or keyringName with keyName. */
  keyId?: pulumi.Input<string>;
  /** Keyring of the primary key (2 to 31 characters of [a-zA-Z0-9-_]); with keyName, instead of keyId. */
  keyringName?: pulumi.Input<string>;
  /** Name of the primary key (2 to 31 characters of [a-zA-Z0-9-_]); with keyringName, instead of keyId. */
  keyName?: pulumi.Input<string>;
  /** Region of the primary key, e.g. cn-beijing. Changing it replaces the replica. */
  primaryRegion: pulumi.Input<string>;
  /** Region to replicate the key to; must differ from primaryRegion. Changing it replaces the replica. */
  replicaRegion: pulumi.Input<string>;
  /** The replica's description (at most 8192 characters; empty by default). Updated in place. */
  description?: pulumi.Input<string>;
  /** Days (7 to 30, default 7) the replica stays pending deletion after destroy, during which it can be restored. */
  pendingWindowInDays?: pulumi.Input<number>;
  /** Deadline in seconds for the replica to appear and for retries of throttled calls (default 300). */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * A replica of a Volcengine KMS multi-region key in another region. Created with ReplicateKey, read and updated
 * in the replica region; destroy schedules the replica's deletion (pendingWindowInDays) instead of leaving it
 * behind.
 *
 * Adopting a replica that already exists (made outside Pulumi, or by an interrupted run; `pulumi import` does not
 * work for dynamic resources): declare it like a new one. ReplicateKey then answers Conflict, and create takes the
 * replica over once it is shown to be a replica of this primary (restoring it if pending deletion); preview fails
 * on a key of that name in replicaRegion that is not.
 */
export class ReplicaKey extends KeylinkResource {
  public readonly keyId!: pulumi.Output<string | undefined>;
  public readonly keyringName!: pulumi.Output<string | undefined>;
  public readonly keyName!: pulumi.Output<string | undefined>;
  public readonly primaryRegion!: pulumi.Output<string>;
  public readonly replicaRegion!: pulumi.Output<string>;
  public readonly description!: pulumi.Output<string>;
  public readonly pendingWindowInDays!: pulumi.Output<number>;
  public readonly timeoutSeconds!: pulumi.Output<number>;
  /** The replica's key ID (the same as its primary's). */
  public readonly replicaKeyId!: pulumi.Output<string>;
  /** The replica's TRN, in the replica region. */
  public readonly trn!: pulumi.Output<string>;
  /** Enable, Disable, PendingDelete, Archived or PendingImport. */
  public readonly keyState!: pulumi.Output<string>;
  public readonly keySpec!: pulumi.Output<string | undefined>;
  public readonly keyUsage!: pulumi.Output<string | undefined>;
  /** REPLICA while the replica is linked to its primary. */
  public readonly multiRegionKeyType!: pulumi.Output<string | undefined>;
  public readonly primaryKeyTrn!: pulumi.Output<string | undefined>;
  public readonly primaryKeyRegion!: pulumi.Output<string | undefined>;
  public readonly creationDate!: pulumi.Output<number | undefined>;
  public readonly updateDate!: pulumi.Output<number | undefined>;

  constructor(name: string, args: ReplicaKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...args,
        replicaKeyId: undefined,
        trn: undefined,
        keyState: undefined,
        keySpec: undefined,
        keyUsage: undefined,
        multiRegionKeyType: undefined,
        primaryKeyTrn: undefined,
        primaryKeyRegion: undefined,
        creationDate: undefined,
        updateDate: undefined,
      },
      opts,
      "keylink",
      "ReplicaKey",
    );
  }
}
