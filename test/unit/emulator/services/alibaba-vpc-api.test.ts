import { createModel as macsecModel } from "../../../../src/emulator/services/alibaba-macsec";
import { createModel as vpnModel } from "../../../../src/emulator/services/alibaba-vpn";
import { EmulatorState, type StateFile } from "../../../../src/emulator/store";
import type { ServiceContext, ServiceModel } from "../../../../src/emulator/types";
import { vpcRequest } from "../../../support/service-request";

// Alibaba VPC as the wire layer and the store see it: two services (MACsec and VPN) serving one API under one
// key, so fixtures, state file and inventory keep the one `alibabaVpc` object of earlier versions.

const NOW = Date.parse("2026-05-01T00:00:00Z");
const ctx: ServiceContext = { now: () => NOW, durationMs: () => 0, changed: () => undefined };
const K1 = "1".repeat(32);

const request = (action: string, params: Record<string, unknown>) => vpcRequest(action, params);

function vpc(): { state: EmulatorState; macsec: ServiceModel; vpn: ServiceModel } {
  const macsec = macsecModel();
  const vpn = vpnModel();
  const state = new EmulatorState([macsec, vpn]);
  state.clock.setOffset(NOW - Date.now());
  return { state, macsec, vpn };
}

function call(
  m: ServiceModel,
  action: string,
  params: Record<string, unknown> = {},
): Record<string, unknown> {
  return m
    .actions("alibaba-rpc")
    [action](request(action, { RegionId: "cn-hangzhou", ...params }), ctx) as Record<string, unknown>;
}

const FIXTURES = {
  alibabaVpc: {
    physicalConnections: [
      {
        physicalConnectionId: "pc-1",
        region: "cn-hangzhou",
        macsecKeys: [{ ckn: K1, cak: K1, cipherSuite: "GCM-AES-128" }],
      },
    ],
    vpnGateways: [{ vpnGatewayId: "vpn-1", regionId: "cn-hangzhou" }],
    vpnConnections: [{ vpnConnectionId: "vco-1", vpnGatewayId: "vpn-1" }],
  },
};

test("both services serve VPC 2016-04-28 under one key, each its own actions", () => {
  const { macsec, vpn } = vpc();
  for (const m of [macsec, vpn]) {
    expect(m).toMatchObject({
      key: "alibabaVpc",
      cloud: "alibaba",
      service: "vpc",
      versions: ["2016-04-28"],
    });
  }
  expect(Object.keys(macsec.actions("alibaba-rpc")).sort()).toEqual([
    "AssociateMacSecKey",
    "DescribePhysicalConnections",
    "DisassociateMacSecKey",
  ]);
  expect(Object.keys(vpn.actions("alibaba-rpc")).sort()).toEqual([
    "DescribeVpnConnection",
    "DescribeVpnConnections",
    "DescribeVpnGateway",
    "DescribeVpnGateways",
    "ModifyVpnConnectionAttribute",
  ]);
});

test("unknown fixture keys are refused, naming the expected ones", () => {
  expect(() => vpc().state.loadFixtures({ alibabaVpc: { physicalConnection: [] } })).toThrow(
    /unknown key\(s\) physicalConnection \(expected physicalConnections, vpnGateways, vpnConnections\)/,
  );
  expect(() => vpc().state.loadFixtures({ alibabaVpc: [] })).toThrow(
    /Invalid alibabaVpc fixtures: expected an object/,
  );
});

test("fixtures reach each service; state round-trips under alibabaVpc.{macsec, vpn}; inventory is one object", () => {
  const a = vpc();
  a.state.loadFixtures(FIXTURES);
  const saved = JSON.parse(JSON.stringify(a.state.toJSON())) as StateFile;
  expect(Object.keys(saved.models.alibabaVpc as object)).toEqual(["macsec", "vpn"]);

  const b = vpc();
  b.state.fromJSON(saved, "test");
  expect(call(b.macsec, "DescribePhysicalConnections").TotalCount).toBe(1);
  expect(call(b.vpn, "DescribeVpnConnections").TotalCount).toBe(1);
  const inv = b.state.inventory().alibabaVpc as Record<string, unknown[]>;
  expect(Object.keys(inv).sort()).toEqual(["physicalConnections", "vpnConnections", "vpnGateways"]);
  expect(inv.physicalConnections).toHaveLength(1);

  b.state.reset();
  expect(call(b.macsec, "DescribePhysicalConnections").TotalCount).toBe(0);
  expect(call(b.vpn, "DescribeVpnConnections").TotalCount).toBe(0);
});

test("a state file of the previous version loads: its transitionUntil and updatingUntil windows still run", () => {
  const until = NOW + 60_000;
  const key = { ckn: K1, cakSha256: "x", cipherSuite: "GCM-AES-128", status: "Associated", startOn: NOW };
  const old = {
    macsec: {
      activations: 1,
      physicalConnections: [
        {
          ...{
            physicalConnectionId: "pc-1",
            regionId: "cn-hangzhou",
            account: "1234567890",
            name: "",
            description: "",
          },
          ...{
            productType: "PhysicalConnection",
            status: "Enabled",
            businessStatus: "Normal",
            accessPointId: "ap",
          },
          ...{
            portType: "10GBase-LR",
            bandwidth: 10000,
            lineOperator: "CT",
            spec: "10G",
            chargeType: "Prepaid",
          },
          ...{ creationTime: NOW, fullyPaid: true, macsecCapable: true, negotiationFails: false },
          supportedCipherSuites: ["GCM-AES-128"],
          macsecKeys: [{ ...key, activation: 1, transitionUntil: until }],
        },
      ],
    },
    vpn: {},
  };
  const a = vpc();
  a.state.loadFixtures({
    alibabaVpc: {
      vpnGateways: FIXTURES.alibabaVpc.vpnGateways,
      vpnConnections: FIXTURES.alibabaVpc.vpnConnections,
    },
  });
  const vpnState = JSON.parse(JSON.stringify(a.vpn.toJSON())) as {
    gateways: Array<Record<string, unknown>>;
    connections: Array<Record<string, unknown>>;
  };
  // The previous version's records: no status or transition, the window as updatingUntil.
  for (const r of [...vpnState.gateways, ...vpnState.connections]) delete r.transition;
  for (const c of vpnState.connections) delete c.status;
  vpnState.gateways[0].updatingUntil = until;
  vpnState.connections[0].updatingUntil = until;

  const b = vpc();
  b.state.fromJSON({ ...a.state.toJSON(), models: { alibabaVpc: { ...old, vpn: vpnState } } }, "old");
  const keys = (
    call(b.macsec, "DescribePhysicalConnections").PhysicalConnectionSet as {
      PhysicalConnectionType: Array<{ MacsecKeys: { MacsecKey: Array<{ Status: string }> } }>;
    }
  ).PhysicalConnectionType[0].MacsecKeys.MacsecKey;
  expect(keys.map((k) => k.Status)).toEqual(["Associating"]);
  expect(call(b.vpn, "DescribeVpnGateway", { VpnGatewayId: "vpn-1" }).Status).toBe("updating");
  expect(call(b.vpn, "DescribeVpnConnection", { VpnConnectionId: "vco-1" }).State).toBe("updating");

  const later: ServiceContext = { ...ctx, now: () => until };
  const settled = b.vpn
    .actions("alibaba-rpc")
    .DescribeVpnConnection(
      request("DescribeVpnConnection", { RegionId: "cn-hangzhou", VpnConnectionId: "vco-1" }),
      later,
    ) as { State: string };
  expect(settled.State).toBe("active");
});

test.each([
  "DescribePhysicalConnections",
  "AssociateMacSecKey",
  "DisassociateMacSecKey",
  "DescribeVpnConnections",
  "DescribeVpnConnection",
  "DescribeVpnGateway",
  "DescribeVpnGateways",
  "ModifyVpnConnectionAttribute",
])("%s without RegionId is the gateway's MissingRegionId, before any lookup", (action) => {
  const { macsec, vpn } = vpc();
  const m = action in macsec.actions("alibaba-rpc") ? macsec : vpn;
  let code = "";
  try {
    m.actions("alibaba-rpc")[action](request(action, {}), ctx);
  } catch (e) {
    code = (e as { code: string }).code;
  }
  expect(code).toBe("MissingRegionId");
});
