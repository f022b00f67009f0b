import * as pulumi from "@pulumi/pulumi";
import type { VpnConnectionConfigArgs, VpnIkeConfigArgs, VpnTunnelOptionsArgs } from "./index";
import type { PresharedKeys } from "./schema";

// How the Resource class turns its arguments into the provider's inputs: every PSK leaves ikeConfig /
// tunnelIkeConfig for the one secret property presharedKeys, so that only the keys are encrypted in state.

type Ike = pulumi.Unwrap<VpnIkeConfigArgs> | undefined;
type Tunnels = pulumi.Unwrap<VpnTunnelOptionsArgs>[] | undefined;

function withoutPsk<T extends { psk?: string }>(c: T | undefined): Omit<T, "psk"> | undefined {
  if (!c) return c;
  return Object.fromEntries(Object.entries(c).filter(([k]) => k !== "psk")) as Omit<T, "psk">;
}

function keysOf(ike: Ike, tunnels: Tunnels): PresharedKeys {
  const keys: PresharedKeys = {};
  if (ike?.psk !== undefined) keys.ikeConfig = ike.psk;
  for (const t of tunnels ?? []) {
    const psk = t.tunnelIkeConfig?.psk;
    if (psk !== undefined) (keys.tunnels ??= {})[t.tunnelId ?? t.role ?? ""] = psk;
  }
  return keys;
}

/** The provider inputs for the resource's arguments. */
export function resourceProps(args: VpnConnectionConfigArgs): Record<string, unknown> {
  const ike = pulumi.output(args.ikeConfig) as pulumi.Output<Ike>;
  const tunnels = pulumi.output(args.tunnelOptionsSpecification) as pulumi.Output<Tunnels>;
  return {
    ...args,
    // The nested objects lose their PSK and, with it, their secretness: only presharedKeys is encrypted.
    ikeConfig: args.ikeConfig === undefined ? undefined : pulumi.unsecret(ike.apply(withoutPsk)),
    tunnelOptionsSpecification:
      args.tunnelOptionsSpecification === undefined
        ? undefined
        : pulumi.unsecret(
            tunnels.apply((ts) => ts?.map((t) => ({ ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) }))),
          ),
    // Always an object (empty without PSKs): a secret that resolves to nothing would reach the provider as null.
    presharedKeys: pulumi.secret(pulumi.all([ike, tunnels]).apply(([i, t]) => keysOf(i, t))),
    restoreOnDelete: args.restoreOnDelete ?? false,
  };
}
