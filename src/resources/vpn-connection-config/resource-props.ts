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
    const ike = args.ikeConfig as Ike;
    const tunnels = args.tunnelOptionsSpecification as Tunnels;
    return {
      ...args,
      ikeConfig: withoutPsk(ike),
      tunnelOptionsSpecification: tunnels?.map(tunnelWithoutPsk),
      presharedKeys: pulumi.secret(keysOf(ike, tunnels)),
      restoreOnDelete,
    };
  }
  const ike = pulumi.output(args.ikeConfig) as pulumi.Output<Ike>;
  const tunnels = pulumi.output(args.tunnelOptionsSpecification) as pulumi.Output<Tunnels>;
  return {
    ...args,
    // The nested objects lose their PSK and, with it, their secretness: only presharedKeys is encrypted.
    ikeConfig: args.ikeConfig === undefined ? undefined : pulumi.unsecret(ike.apply(withoutPsk)),
    tunnelOptionsSpecification:
      args.tunnelOptionsSpecification === undefined
        ? undefined
        : pulumi.unsecret(tunnels.apply((ts) => ts?.map(tunnelWithoutPsk))),
    // Always an object (empty without PSKs): a secret that resolves to nothing would reach the provider as null.
    presharedKeys: pulumi.secret(pulumi.all([ike, tunnels]).apply(([i, t]) => keysOf(i, t))),
    restoreOnDelete,
  };
}

function tunnelWithoutPsk(t: pulumi.Unwrap<VpnTunnelOptionsArgs>): pulumi.Unwrap<VpnTunnelOptionsArgs> {
  return { ...t, tunnelIkeConfig: withoutPsk(t.tunnelIkeConfig) };
}
