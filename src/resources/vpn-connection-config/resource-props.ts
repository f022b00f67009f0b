import * as pulumi from "@pulumi/pulumi";
import type { VpnConnectionConfigArgs, VpnIkeConfigArgs, VpnTunnelOptionsArgs } from "./index";
import { splitPsks } from "./psk";

// How the Resource class turns its arguments into the provider's inputs: every PSK leaves ikeConfig /
// tunnelIkeConfig for the one secret property presharedKeys (psk.ts), so that only the keys are encrypted in state.

type Ike = pulumi.Unwrap<VpnIkeConfigArgs> | undefined;
type Tunnels = pulumi.Unwrap<VpnTunnelOptionsArgs>[] | undefined;

/** The provider inputs for the resource's arguments. */
export function resourceProps(args: VpnConnectionConfigArgs): Record<string, unknown> {
  const ike = pulumi.output(args.ikeConfig) as pulumi.Output<Ike>;
  const tunnels = pulumi.output(args.tunnelOptionsSpecification) as pulumi.Output<Tunnels>;
  const split = pulumi
    .all([ike, tunnels])
    .apply(([i, t]) => splitPsks({ ikeConfig: i, tunnelOptionsSpecification: t }));
  return {
    ...args,
    // The nested objects lose their PSK and, with it, their secretness: only presharedKeys is encrypted.
    ikeConfig:
      args.ikeConfig === undefined ? undefined : pulumi.unsecret(split.apply((s) => s.plain.ikeConfig)),
    tunnelOptionsSpecification:
      args.tunnelOptionsSpecification === undefined
        ? undefined
        : pulumi.unsecret(split.apply((s) => s.plain.tunnelOptionsSpecification)),
    // Always an object (empty without PSKs): a secret that resolves to nothing would reach the provider as null.
    presharedKeys: pulumi.secret(split.apply((s) => s.presharedKeys ?? {})),
    restoreOnDelete: args.restoreOnDelete ?? false,
  };
}
