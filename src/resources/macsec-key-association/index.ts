import * as pulumi from "@pulumi/pulumi";
import { KeylinkResource } from "../common/resource";
import provider = require("./dynamic");
import type { CipherSuite, KeyStatus } from "./schema";

export type { CipherSuite as MacsecCipherSuite, KeyStatus as MacsecKeyStatus } from "./schema";

export interface MacsecKeyAssociationArgs {
  /** Region of the physical connection, e.g. cn-hangzhou. Changing it replaces the key set. */
  region: pulumi.Input<string>;
  /** The dedicated physical connection (pc-...). Changing it replaces the key set. */
  physicalConnectionId: pulumi.Input<string>;
  /** GCM-AES-128, GCM-AES-XPN-128, GCM-AES-256 or GCM-AES-XPN-256. Changing it replaces the key set. */
  cipherSuite: pulumi.Input<CipherSuite>;
  /**
   * Key name (CKN): hexadecimal, 32 characters for the -128 suites and 64 for the -256 suites; lower case is
   * upper-cased. Changing it replaces the key set.
   */
  ckn: pulumi.Input<string>;
  /** Key (CAK), secret: same format as ckn. Always stored encrypted in state. Changing it replaces the key set. */
  cak: pulumi.Input<string>;
  /**
   * Whether this key is the connection's active key (default true). Associating a key makes it active and the
   * previously active key Disassociated. false keeps the key stored as a standby: it is associated and then
   * disassociated, which briefly makes it active and hands the role back to the key that held it.
   */
  active?: pulumi.Input<boolean>;
  /** Deadline in seconds for the key to settle and for retries while the connection is busy (default 600). */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * One MACsec key set (CKN + CAK) on an Alibaba Cloud Express Connect dedicated physical connection. A
 * connection holds at most three sets, of which one is active. The id is <region>:<physicalConnectionId>:<CKN>.
 *
 * Adopting a key set already on the connection (`pulumi import` does not work for dynamic resources): declare it
 * with its CKN, CAK and cipher suite. Create associates it again, which takes it over (and makes it active, or
 * hands the role back when active is false); the cloud refuses another CAK or cipher suite (IllegalParam.Cak or
 * IllegalParam.CipherSuite), since the CAK cannot be read back to compare.
 */
export class MacsecKeyAssociation extends KeylinkResource {
  public readonly region!: pulumi.Output<string>;
  public readonly physicalConnectionId!: pulumi.Output<string>;
  public readonly cipherSuite!: pulumi.Output<CipherSuite>;
  /** The CKN, upper-cased. */
  public readonly ckn!: pulumi.Output<string>;
  /** The CAK as given (secret). The cloud never returns it, so it is not read back. */
  public readonly cak!: pulumi.Output<string>;
  public readonly active!: pulumi.Output<boolean>;
  public readonly timeoutSeconds!: pulumi.Output<number | undefined>;
  /** Associated, Disassociated, AssociatedFailed, or Associating/Disassociating while the device changes keys. */
  public readonly status!: pulumi.Output<KeyStatus>;
  /** When the key last became the active key, as the cloud reports it. */
  public readonly startOn!: pulumi.Output<string>;
  /** The CKN active on the connection when last read (this key's or another's), "" when none. */
  public readonly activeCkn!: pulumi.Output<string>;

  constructor(name: string, args: MacsecKeyAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...args,
        cak: pulumi.secret(args.cak),
        status: undefined,
        startOn: undefined,
        activeCkn: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "cak"] },
      "keylink",
      "MacsecKeyAssociation",
    );
  }
}
