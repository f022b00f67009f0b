// VpnConnectionConfig check and diff with inputs not known at preview (Pulumi's placeholder), against the
// emulator (demo fixtures: single-tunnel connection vco-demo0001 in cn-hangzhou). A PSK from a secret output
// reaches the provider as an unknown `presharedKeys`, and its IKE block as an unknown ikeConfig.
import { UNKNOWN } from "../../../src/resources/common/check";
import * as provider from "../../../src/resources/vpn-connection-config/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const PSK = "psk-unknown-test-7Hq2";
const args = (over: Record<string, unknown> = {}) => ({
  region: "cn-hangzhou",
  vpnConnectionId: "vco-demo0001",
  ikeConfig: { ikeVersion: "ikev2" },
  presharedKeys: { ikeConfig: PSK },
  restoreOnDelete: false,
  timeoutSeconds: 30,
  ...over,
});

describe("VpnConnectionConfig with inputs not known at preview", () => {
  it("a create on a connection and PSK not known yet passes check without a cloud call, and warns", async () => {
    const r = await provider.check({}, args({ vpnConnectionId: UNKNOWN, presharedKeys: UNKNOWN }));
    expect(r.failures ?? []).toEqual([]);
    expect(await h.calls()).toEqual([]);
    expect(h.warnings.join("\n")).toContain(
      "vpnConnectionId, psk not known until another resource is deployed",
    );
  });

  it("up's check, with the connection known, judges it before any write", async () => {
    const r = await provider.check({}, args({ vpnConnectionId: "vco-nosuch" }));
    expect(r.failures?.map((f) => f.property)).toEqual(["vpnConnectionId"]);
    expect((await h.calls()).filter((a) => !a.startsWith("Describe"))).toEqual([]);
  });

  it("a PSK not known yet is an update; a connection not known yet may be another connection", async () => {
    const checked = await provider.check({}, args());
    expect(checked.failures ?? []).toEqual([]);
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const outs = created.outs as Record<string, unknown>;
    const inputs = checked.inputs as Record<string, unknown>;
    const previewed = await provider.check(inputs, { ...inputs, presharedKeys: UNKNOWN, ikeConfig: UNKNOWN });
    expect(previewed.failures ?? []).toEqual([]);
    expect(await provider.diff(created.id, outs, previewed.inputs as Record<string, unknown>)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const moved = await provider.diff(created.id, outs, { ...inputs, vpnConnectionId: UNKNOWN });
    expect(moved.replaces).toEqual(["vpnConnectionId"]);
    expect(h.warnings.join("\n")).not.toContain(PSK);
  });
});
