import { createModel } from "../../../src/emulator/services/alibaba-vpc";
import type { ServiceContext, ServiceRequest } from "../../../src/emulator/types";

// The Alibaba VPC model as the wire layer sees it: the MACsec and VPN parts behind one ServiceModel.

const ctx: ServiceContext = {
  now: () => Date.parse("2026-05-01T00:00:00Z"),
  durationMs: () => 0,
  changed: () => undefined,
};
const K1 = "1".repeat(32);

function describeReq(): ServiceRequest {
  return {
    cloud: "alibaba",
    protocol: "alibaba-rpc",
    service: "vpc",
    version: "2016-04-28",
    action: "DescribePhysicalConnections",
    region: "cn-hangzhou",
    account: "1234567890",
    params: { RegionId: "cn-hangzhou" },
    requestId: "r",
  };
}

test("serves both parts' actions under one key", () => {
  const m = createModel();
  expect(m).toMatchObject({ key: "alibabaVpc", cloud: "alibaba", service: "vpc", versions: ["2016-04-28"] });
  const actions = Object.keys(m.actions("alibaba-rpc"));
  expect(actions).toEqual(
    expect.arrayContaining(["AssociateMacSecKey", "DisassociateMacSecKey", "DescribePhysicalConnections"]),
  );
  expect(actions).toEqual(expect.arrayContaining(["ModifyVpnConnectionAttribute"]));
});

test("unknown fixture keys are refused, naming the expected ones", () => {
  expect(() => createModel().loadFixtures({ physicalConnection: [] }, ctx)).toThrow(
    /unknown key\(s\) physicalConnection \(expected physicalConnections, vpnGateways, vpnConnections\)/,
  );
});

test("physical connection fixtures reach the MACsec part; state round-trips under macsec/vpn", () => {
  const m = createModel();
  m.loadFixtures(
    {
      physicalConnections: [
        {
          physicalConnectionId: "pc-1",
          region: "cn-hangzhou",
          macsecKeys: [{ ckn: K1, cak: K1, cipherSuite: "GCM-AES-128" }],
        },
      ],
    },
    ctx,
  );
  const state = JSON.parse(JSON.stringify(m.toJSON()));
  expect(Object.keys(state)).toEqual(["macsec", "vpn"]);
  const restored = createModel();
  restored.fromJSON(state);
  const body = restored.actions("alibaba-rpc").DescribePhysicalConnections(describeReq(), ctx) as {
    TotalCount: number;
  };
  expect(body.TotalCount).toBe(1);
  expect(restored.inventory(ctx)).toHaveProperty("physicalConnections");
  restored.reset();
  expect(
    (
      restored.actions("alibaba-rpc").DescribePhysicalConnections(describeReq(), ctx) as {
        TotalCount: number;
      }
    ).TotalCount,
  ).toBe(0);
});

test.each([
  "DescribePhysicalConnections",
  "AssociateMacSecKey",
  "DescribeVpnConnections",
  "DescribeVpnGateway",
])("%s without RegionId is the gateway's MissingRegionId, before any lookup", (action) => {
  const m = createModel();
  const req = { ...describeReq(), action, params: {} };
  let code = "";
  try {
    m.actions("alibaba-rpc")[action](req, ctx);
  } catch (e) {
    code = (e as { code: string }).code;
  }
  expect(code).toBe("MissingRegionId");
});
