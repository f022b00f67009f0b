// Contract: Alibaba's official SDKs that the provider does not use, pointed at the emulator, against every action
// the emulator models. @alicloud/vpc20160428 7.x signs with V3 (ACS3-HMAC-SHA256, its default); KMS is called
// through the same @alicloud/openapi-core client (V3) and through @alicloud/kms20160120 1.x (V2, GET). Each answer
// is checked against the response model the SDK declares (its TeaModel names() and types()), recursively.
import * as Vpc from "@alicloud/vpc20160428";
import { $OpenApiUtil, default as OpenApiClient } from "@alicloud/openapi-core";
import { startEmulator } from "../../src/emulator";
import { allModels } from "../../src/emulator/services";
import { type TeaModelClass, splitMismatches, teaMismatches } from "./sdk-models";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Body = Record<string, unknown>;

const REGION = "cn-hangzhou";
const CKN = "A".repeat(64);
const CAK = "B".repeat(64);
const FIXTURES = {
  alibabaVpc: {
    physicalConnections: [{ physicalConnectionId: "pc-contract1", region: REGION, macsecCapable: true }],
    vpnGateways: [{ vpnGatewayId: "vpn-contract1", regionId: REGION }],
    vpnConnections: [
      {
        vpnConnectionId: "vco-contract1",
        vpnGatewayId: "vpn-contract1",
        localSubnet: ["10.0.0.0/16"],
        remoteSubnet: ["192.168.0.0/24"],
      },
    ],
  },
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    fixtures: FIXTURES,
    durations: { macsecTransition: 0, vpnGatewayUpdate: 0 },
  });
});
afterAll(async () => {
  await emulator?.close();
});

const config = () =>
  new $OpenApiUtil.Config({
    accessKeyId: "test",
    accessKeySecret: "test",
    endpoint: new URL(emulator.url).host,
    protocol: "http",
    regionId: REGION,
  });

/** The answer as it came off the wire (before the SDK casts it into its model), from the SDK's own callApi. */
function capturing<T extends OpenApiClient>(client: T): { client: T; last: () => Body } {
  let last: Body = {};
  const callApi = client.callApi.bind(client);
  client.callApi = async (params, request, runtime) => {
    const res = (await callApi(params, request, runtime)) as { body: Body };
    last = res.body;
    return res;
  };
  return { client, last: () => last };
}

/**
 * Fields the emulator sends that the SDK's model does not declare, each kept for a reason (an SDK ignores a field
 * it does not declare, so these break no client; a wrong type does). Any other undeclared field fails.
 */
const VPC_UNDECLARED: Record<string, string[]> = {
  // The provider reads siblings' BGP switch from the list; DescribeVpnConnection declares EnableBgp in the same
  // VpnBgpConfig, and the list's items are the same connection objects.
  DescribeVpnConnections: ["$.VpnConnections.VpnConnection[0].VpnBgpConfig.EnableBgp"],
};

/**
 * @alicloud/kms20160120 1.x (the newest on npm) predates KeyMetadata fields the DescribeKey reference documents
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-describekey).
 */
const KMS_METADATA_NEWER_THAN_SDK = ["DKMSInstanceId", "DeletionProtection", "DeletionProtectionDescription"];

// Every model under the key: Alibaba VPC is served by two (MACsec and VPN).
const modeled = (key: string) =>
  allModels()
    .filter((m) => m.key === key)
    .flatMap((m) => Object.keys(m.actions("alibaba-rpc")))
    .sort();

describe("@alicloud/vpc20160428 (V3 signature) against every modeled VPC action", () => {
  const sdk = Vpc as unknown as Record<string, new (map: object) => object>;
  const models = Vpc as unknown as Record<string, TeaModelClass>;
  // One call per action, in an order that leaves each precondition met (a key associated before it is removed).
  const calls: Array<[string, object]> = [
    ["DescribePhysicalConnections", { regionId: REGION }],
    [
      "AssociateMacSecKey",
      {
        regionId: REGION,
        physicalConnectionId: "pc-contract1",
        cipherSuite: "GCM-AES-XPN-256",
        ckn: CKN,
        cak: CAK,
      },
    ],
    ["DisassociateMacSecKey", { regionId: REGION, physicalConnectionId: "pc-contract1", ckn: CKN }],
    ["DescribeVpnGateway", { regionId: REGION, vpnGatewayId: "vpn-contract1" }],
    ["DescribeVpnGateways", { regionId: REGION }],
    ["DescribeVpnConnection", { regionId: REGION, vpnConnectionId: "vco-contract1" }],
    ["DescribeVpnConnections", { regionId: REGION }],
    ["ModifyVpnConnectionAttribute", { regionId: REGION, vpnConnectionId: "vco-contract1", name: "renamed" }],
  ];

  it("has a call for every action the emulator models", () => {
    expect(calls.map(([a]) => a).sort()).toEqual(modeled("alibabaVpc"));
  });

  it.each(calls)("%s answers what the SDK's ResponseBody model declares", async (action, request) => {
    const { client, last } = capturing(new Vpc.default(config()));
    const method = action[0].toLowerCase() + action.slice(1);
    const call = (client as unknown as Record<string, (r: object) => Promise<{ body: object }>>)[method];
    const res = await call.call(client, new sdk[`${action}Request`](request));
    expect(res.body).toBeInstanceOf(sdk[`${action}ResponseBody`]);
    const { wrongType, undeclared } = splitMismatches(teaMismatches(last(), models[`${action}ResponseBody`]));
    expect(wrongType).toEqual([]);
    expect(undeclared).toEqual(VPC_UNDECLARED[action] ?? []);
  });
});

describe("Alibaba KMS (2016-01-20) against every modeled action, checked against @alicloud/kms20160120's models", () => {
  // kms20160120 1.x declares each answer as <Action>Response (the body itself, rpc-client style).
  const kmsModels = require("@alicloud/kms20160120") as Record<string, TeaModelClass>;
  const state: { keyId?: string; token?: string } = {};
  const calls: Array<[string, () => Record<string, string>]> = [
    ["CreateKey", () => ({ Origin: "EXTERNAL" })],
    ["DescribeKey", () => ({ KeyId: state.keyId as string })],
    [
      "GetParametersForImport",
      () => ({
        KeyId: state.keyId as string,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_2048",
      }),
    ],
    // Material the token does not wrap is refused by the model; the contract checks the shape of a success,
    // so ImportKeyMaterial is driven with real wrapped material in importMaterial() below.
    ["ImportKeyMaterial", () => ({})],
    ["DisableKey", () => ({ KeyId: state.keyId as string })],
    ["EnableKey", () => ({ KeyId: state.keyId as string })],
    ["DeleteKeyMaterial", () => ({ KeyId: state.keyId as string })],
    ["ScheduleKeyDeletion", () => ({ KeyId: state.keyId as string, PendingWindowInDays: "7" })],
    ["CancelKeyDeletion", () => ({ KeyId: state.keyId as string })],
  ];

  it("has a call for every action the emulator models", () => {
    expect(calls.map(([a]) => a).sort()).toEqual(modeled("alibabaKms"));
  });

  /** A generic V3 RPC call through openapi-core, as the generated KMS 2016-01-20 clients make it. */
  async function v3(action: string, query: Record<string, string>): Promise<Body> {
    const { client, last } = capturing(new OpenApiClient(config()));
    await client.callApi(
      new $OpenApiUtil.Params({
        action,
        version: "2016-01-20",
        protocol: "HTTP",
        pathname: "/",
        method: "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
      }),
      new $OpenApiUtil.OpenApiRequest({ query }),
      // The runtime options' defaults (no retries, default timeouts); the SDK fills an empty object in.
      {} as Parameters<OpenApiClient["callApi"]>[2],
    );
    return last();
  }

  async function importMaterial(): Promise<Record<string, string>> {
    const { publicEncrypt, constants, randomBytes, createPublicKey } = await import("node:crypto");
    const params = await v3("GetParametersForImport", calls[2][1]());
    const publicKey = createPublicKey({
      key: Buffer.from(params.PublicKey as string, "base64"),
      format: "der",
      type: "spki",
    });
    const wrapped = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      randomBytes(32),
    );
    return {
      KeyId: state.keyId as string,
      ImportToken: params.ImportToken as string,
      EncryptedKeyMaterial: wrapped.toString("base64"),
    };
  }

  it.each(calls)("%s (V3) answers what the SDK's response model declares", async (action, query) => {
    const params = action === "ImportKeyMaterial" ? await importMaterial() : query();
    const body = await v3(action, params);
    if (action === "CreateKey") state.keyId = (body.KeyMetadata as Body).KeyId as string;
    expect(body.RequestId).toEqual(expect.any(String));
    const { wrongType, undeclared } = splitMismatches(teaMismatches(body, kmsModels[`${action}Response`]));
    expect(wrongType).toEqual([]);
    const withMetadata = action === "CreateKey" || action === "DescribeKey";
    expect(undeclared).toEqual(
      withMetadata ? KMS_METADATA_NEWER_THAN_SDK.map((f) => `$.KeyMetadata.${f}`) : [],
    );
  });

  it("the Arn has a region though neither the request nor the Host names one (the default endpoint's)", async () => {
    const body = await v3("DescribeKey", { KeyId: state.keyId as string });
    expect((body.KeyMetadata as Body).Arn).toBe(`acs:kms:${REGION}:1234567890:key/${state.keyId}`);
  });
});
