// The kill runs' recognition of the one loss an interrupted run may cause (test/support/reliability/interruption.ts
// lostOriginals): a VpnConnectionConfig create cut after the connection took the new settings, whatever the
// checkpoint shows of it.
import type { CloudView, Inventory, LiveVpn } from "../../support/reliability/harness";
import { lostOriginals } from "../../support/reliability/interruption";

const settings = (psk: string): LiveVpn => ({
  psk,
  ike: { ikeVersion: "ikev1" },
  ipsec: { ipsecEncAlg: "aes" },
  enableDpd: false,
});

const view = (vpn1: LiveVpn, vpn2: LiveVpn): CloudView => ({
  inv: {} as Inventory,
  vpn: { "vco-demo0001": vpn1, "vco-demo0002": vpn2 },
});

const state = (resources: Array<[string, string]>, pending: Array<[string, string]> = []) =>
  JSON.stringify({
    deployment: {
      resources: resources.map(([type, id]) => ({ type: `pulumi-nodejs:dynamic/keylink:${type}`, id })),
      pending_operations: pending.map(([type, urn]) => ({ type, resource: { urn, type: "x" } })),
    },
  });

const initial = view(settings("initial-1"), settings("initial-2"));
const taken = view(settings("stack-1"), settings("initial-2"));

describe("lostOriginals", () => {
  it("names a connection that shows new settings while the state holds no config of it (provider killed: no pending create)", () => {
    expect(lostOriginals(state([["Cmk", "ap-guangzhou:cmk-1"]]), taken, initial)).toEqual(["vco-demo0001"]);
  });

  it("names it too once a CLI kill's pending create was cleared, and for a state with nothing at all", () => {
    expect(lostOriginals(state([], [["creating", "urn:branch-1-ipsec"]]), taken, initial)).toEqual([
      "vco-demo0001",
    ]);
    expect(lostOriginals(JSON.stringify({ deployment: {} }), taken, initial)).toEqual(["vco-demo0001"]);
  });

  it("names none when the state holds the config: its create recorded the originals it read", () => {
    expect(
      lostOriginals(state([["VpnConnectionConfig", "cn-hangzhou:vco-demo0001"]]), taken, initial),
    ).toEqual([]);
  });

  it("names none when the connection still shows its initial settings: the rerun records the right ones", () => {
    expect(lostOriginals(state([]), initial, initial)).toEqual([]);
  });

  it("judges each connection on its own", () => {
    const both = view(settings("stack-1"), settings("stack-2"));
    expect(
      lostOriginals(state([["VpnConnectionConfig", "cn-hangzhou:vco-demo0002"]]), both, initial),
    ).toEqual(["vco-demo0001"]);
  });
});
