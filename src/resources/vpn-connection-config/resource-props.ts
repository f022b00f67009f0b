import * as pulumi from "@pulumi/pulumi";
import type { VpnConnectionConfigArgs, VpnIkeConfigArgs, VpnTunnelOptionsArgs } from "./index";
import { splitPsks } from "./psk";

// How the Resource class turns its arguments into the provider's inputs: every PSK leaves ikeConfig /
// tunnelIkeConfig for the one secret property presharedKeys (psk.ts), so that only the keys are encrypted in state.

type Ike = pulumi.Unwrap<VpnIkeConfigArgs> | undefined;
type Tunnels = pulumi.Unwrap<VpnTunnelOptionsArgs>[] | undefined;

/** Whether a value holds no Output or promise at any depth (the usual case: settings written in the program). */
function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true;
  if (pulumi.Output.isInstance(v) || v instanceof Promise) return false;
  return Object.values(v).every(isPlain);
}

/**
 * The provider inputs for the resource's arguments. Plain settings are split here and now; settings holding
 * Outputs or promises are split once they resolve. Each Output costs the SDK several promises per resource,
 * which add up over hundreds of resources, so the plain path makes only the one secret Output.
 */
export function resourceProps(args: VpnConnectionConfigArgs): Record<string, unknown> {
  const restoreOnDelete = args.restoreOnDelete ?? false;
  if (isPlain(args.ikeConfig) && isPlain(args.tunnelOptionsSpecification)) {
    const split = splitPsks({
      ikeConfig: args.ikeConfig as Ike,
      tunnelOptionsSpecification: args.tunnelOptionsSpecification as Tunnels,
    });
    return {
      ...args,
      ikeConfig: split.plain.ikeConfig,
      tunnelOptionsSpecification: split.plain.tunnelOptionsSpecification,
      // Always an object (empty without PSKs): a secret that resolves to nothing would reach the provider as null.
      presharedKeys: pulumi.secret(split.presharedKeys ?? {}),
      restoreOnDelete,
    };
  }
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
    presharedKeys: pulumi.secret(split.apply((s) => s.presharedKeys ?? {})),
    restoreOnDelete,
  };
}
