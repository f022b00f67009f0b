// A property-based corpus of invalid values for every input of every resource (wrong types, out-of-range
// numbers, bad enums, bad hex / CIDR / ASN / names, too long or short strings, forbidden characters), given to
// each provider's `check` directly (no CLI). Each must be rejected with a failure whose property names the field
// (and whose reason starts with it), a secret input's value never appears in a reason, and the emulator - where
// the clients point - sees no call at all: what the schema refuses never reaches a cloud.
// Every input of every schema must have a generator here (checked against the schemas' own shapes), so an input
// added later without one fails this suite. Replay with RELIABILITY_SEED=<seed in the test name>.
import fc from "fast-check";
import type { z } from "zod";
import { type RunningEmulator, startEmulator } from "../../src/emulator";
import * as cmk from "../../src/resources/cmk/provider";
import { inputsSchema as cmkSchema } from "../../src/resources/cmk/schema";
import * as material from "../../src/resources/imported-key-material/provider";
import { MAX_EXPIRE_UNIX } from "../../src/clouds/facts/alibaba-kms";
import { inputsSchema as materialSchema } from "../../src/resources/imported-key-material/schema";
import * as macsec from "../../src/resources/macsec-key-association/provider";
import { inputsSchema as macsecSchema } from "../../src/resources/macsec-key-association/schema";
import * as replica from "../../src/resources/replica-key/provider";
import { inputsSchema as replicaSchema } from "../../src/resources/replica-key/schema";
import * as vpn from "../../src/resources/vpn-connection-config/provider";
import { inputsSchema as vpnSchema } from "../../src/resources/vpn-connection-config/schema";
import { baseSeed } from "../support/reliability/harness";

const SEED = baseSeed(20251125);
/** Runs per resource, spread over its fields (each field gets at least MIN_RUNS_PER_FIELD). */
const RUNS_PER_RESOURCE = 300;
const MIN_RUNS_PER_FIELD = 8;

jest.setTimeout(120_000);

// ------------------------------------------------------------------------------------------------ generators

const small = { maxLength: 3 };
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(small), small),
  fc.dictionary(fc.string(small), fc.string(small), { maxKeys: 2 }),
);
const notNumber = fc.oneof(
  fc.string(),
  fc.constantFrom("7", "30", "1e3"),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), small),
  fc.dictionary(fc.string(small), fc.integer(), { maxKeys: 2 }),
);
const notBoolean = fc.oneof(
  fc.string(),
  fc.constantFrom("true", "false", 0, 1),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.boolean(), small),
);
const notObject = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.integer(), small));

/** `valid` with one character of `chars` inserted somewhere: each such string breaks the field's pattern. */
const withForbidden = (valid: string, chars: string) =>
  fc
    .tuple(fc.nat(valid.length), fc.constantFrom(...chars))
    .map(([i, c]) => valid.slice(0, i) + c + valid.slice(i));
const stringOf = (chars: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });
const lower = "abcdefghijklmnopqrstuvwxyz";
const hex = "0123456789ABCDEFabcdef";
const outside = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ max: min - 1 }),
    fc.integer({ min: max + 1 }),
    fc.constantFrom(-Infinity, Infinity, NaN),
  );
const fractional = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).filter((x) => !Number.isInteger(x));
const intOutOf = (min: number, max: number) => fc.oneof(outside(min, max), fractional(min, max), notNumber);
/** Invalid for a whole number with only a lower bound. */
const intBelow = (min: number) =>
  fc.oneof(fc.integer({ max: min - 1 }), fractional(min, 1e6), fc.constantFrom(Infinity, NaN), notNumber);
const notIn = (values: readonly string[]) =>
  fc.oneof(
    fc.string().filter((s) => !values.includes(s)),
    fc
      .constantFrom(...values.map((v) => v.toLowerCase()), ...values.map((v) => ` ${v}`))
      .filter((s) => !values.includes(s)),
    notString,
  );
const uuidLike = fc.uuid();
const badIpv4 = fc.oneof(
  fc.constantFrom("256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "01234.1.1.1", "10.0.0.0/30"),
  fc.tuple(fc.integer({ min: 256, max: 999 }), fc.nat(255)).map(([a, b]) => `${b}.${a}.0.1`),
  notString,
);
const badCidr = fc.oneof(
  fc.constantFrom("10.0.0.1/16", "10.0.0.0/33", "10.0.0.0", "x", "10.0.0.0/8/1", "300.0.0.0/8"),
  fc
    .tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 1, max: 24 }))
    .map(([h, p]) => `10.0.0.${h}/${p}`),
);
const badPsk = fc.oneof(
  fc.constant(""),
  withForbidden("Sup3r-Secret-Psk", ' "\\\té'),
  stringOf("abcXYZ019", 101, 140),
  notString,
);

// ------------------------------------------------------------------------------------------------ corpus

type Path = Array<string | number>;

interface FieldCase {
  /** Where the invalid value goes. */
  path: Path;
  arb: fc.Arbitrary<unknown>;
  /** Inputs the value is set into (the resource's base when absent). */
  base?: Record<string, unknown>;
  /** Failure properties that name the field (default: the path as the user writes it). */
  names?: string[];
  secret?: boolean;
  label?: string;
  /**
   * Judged against a list the cloud serves rather than by the schema: the check may make these reads (and no
   * other call) to refuse the value.
   */
  liveReads?: string[];
}

interface Resource {
  name: string;
  check: (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ failures?: unknown[] }>;
  schema: z.ZodType;
  base: Record<string, unknown>;
  cases: FieldCase[];
}

const render = (path: Path) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

function setAt(base: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  let cur: Record<string | number, unknown> = root;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) cur[key] = value;
    else {
      cur[key] ??= typeof path[i + 1] === "number" ? [] : {};
      cur = cur[key] as Record<string | number, unknown>;
    }
  }
  return root;
}

const CMK_BASE = {
  region: "ap-guangzhou",
  alias: "corpus-key",
  description: "Corpus key",
  keyUsage: "ENCRYPT_DECRYPT",
  type: "kms-generated",
  enabled: true,
  pendingWindowInDays: 7,
  api: "3.0",
  timeoutSeconds: 60,
};

const cmkCases: FieldCase[] = [
  {
    path: ["region"],
    arb: fc.oneof(withForbidden("ap-guangzhou", "A_ .:1"), fc.constantFrom("", "apguangzhou"), notString),
  },
  {
    path: ["alias"],
    arb: fc.oneof(
      fc.constant(""),
      withForbidden("corpus-key", " .:@é/*"),
      stringOf(lower, 0, 20).map((s) => `kms-${s}`),
      stringOf(lower, 61, 90),
      notString,
    ),
  },
  {
    path: ["alias"],
    base: { ...CMK_BASE, api: "legacy-v2" },
    arb: stringOf(lower, 33, 60),
    label: "legacy alias length",
  },
  {
    path: ["description"],
    arb: fc.oneof(
      fc.integer({ min: 513, max: 700 }).map((n) => "é".repeat(n)),
      notString,
    ),
  },
  {
    path: ["keyUsage"],
    // CreateKey's reference takes the KeyUsage values from ListAlgorithms; the alias and quota reads of the same
    // check run beside it.
    liveReads: ["ListAlgorithms", "ListKeyDetail", "GetServiceStatus"],
    arb: notIn([
      "ENCRYPT_DECRYPT",
      "ENCRYPT/DECRYPT",
      "ASYMMETRIC_DECRYPT_RSA_2048",
      "ASYMMETRIC_DECRYPT_SM2",
      "ASYMMETRIC_SIGN_VERIFY_SM2",
      "ASYMMETRIC_SIGN_VERIFY_ECC",
      "ASYMMETRIC_SIGN_VERIFY_RSA_2048",
      "ASYMMETRIC_SIGN_VERIFY_ECDSA384",
    ]),
  },
  {
    path: ["keyUsage"],
    base: { ...CMK_BASE, api: "legacy-v2" },
    arb: fc.constantFrom("ASYMMETRIC_DECRYPT_RSA_2048", "ASYMMETRIC_SIGN_VERIFY_SM2"),
    label: "legacy key usage",
  },
  {
    path: ["type"],
    arb: fc.oneof(
      fc.integer(),
      fc.nat(9).map(String),
      fc.string().filter((s) => !["kms-generated", "external", "quantum"].includes(s)),
      fc.boolean(),
      fc.constant(null),
      fc.constant("quantum"),
    ),
  },
  { path: ["enabled"], arb: notBoolean },
  { path: ["pendingWindowInDays"], arb: intOutOf(7, 30) },
  {
    path: ["api"],
    arb: fc.oneof(fc.constant(3.0), fc.constantFrom("3", "v3", "legacy", "2.0"), notIn(["3.0", "legacy-v2"])),
  },
  { path: ["timeoutSeconds"], arb: intOutOf(1, 86_400) },
  {
    path: ["adoptKeyId"],
    arb: fc.oneof(fc.constant(""), withForbidden("23e80852-1e38-11e9", " _:/."), notString),
  },
];

const KEY_MATERIAL = Buffer.alloc(32, 7).toString("base64");
const MATERIAL_BASE = {
  region: "cn-hangzhou",
  keyId: "key-corpus-0001",
  keyMaterial: KEY_MATERIAL,
  wrappingAlgorithm: "RSAES_OAEP_SHA_256",
  wrappingKeySpec: "RSA_2048",
  timeoutSeconds: 60,
};

const materialCases: FieldCase[] = [
  {
    path: ["region"],
    arb: fc.oneof(withForbidden("cn-hangzhou", "A_ .:"), fc.constantFrom("", "cn", "c-hangzhou"), notString),
  },
  { path: ["keyId"], arb: fc.oneof(fc.constant(""), notString) },
  {
    path: ["keyMaterial"],
    secret: true,
    arb: fc.oneof(
      fc
        .uint8Array({ minLength: 0, maxLength: 64 })
        .filter((a) => a.length !== 16 && a.length !== 32)
        .map((a) => Buffer.from(a).toString("base64")),
      withForbidden(KEY_MATERIAL, "!*- _é"),
      fc.base64String().map((s) => `${s}a`),
      notString,
    ),
  },
  {
    path: ["expireAt"],
    arb: fc.oneof(
      fc.string().filter((s) => !/^\d/.test(s)),
      fc.constantFrom("2030-01-01T00:00:00", "01/02/2030", "2030-1-1", "20300101T000000Z"),
      fc.integer({ max: -1 }),
      fractional(0, 2e9),
      fc.constant(MAX_EXPIRE_UNIX + 1),
      fc.constant(String(MAX_EXPIRE_UNIX + 1)),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), small),
    ),
  },
  { path: ["wrappingAlgorithm"], arb: notIn(["RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]) },
  {
    path: ["wrappingKeySpec"],
    arb: fc.oneof(fc.constantFrom("EC_SM2", "RSA_4096", "rsa_2048"), notIn(["RSA_2048"])),
  },
  { path: ["timeoutSeconds"], arb: intOutOf(1, 86_400) },
];

const HEX64 = "A".repeat(64);
const MACSEC_BASE = {
  region: "cn-hangzhou",
  physicalConnectionId: "pc-corpus0001",
  cipherSuite: "GCM-AES-256",
  ckn: HEX64,
  cak: "B".repeat(64),
  active: true,
  timeoutSeconds: 60,
};
const badHex = fc.oneof(
  withForbidden(HEX64, "gG -xé"),
  stringOf(hex, 0, 63),
  stringOf(hex, 65, 100),
  fc.constant(""),
  notString,
);

const macsecCases: FieldCase[] = [
  {
    path: ["region"],
    arb: fc.oneof(withForbidden("cn-hangzhou", "A_ .:"), fc.constantFrom("", "cnhangzhou"), notString),
  },
  {
    path: ["physicalConnectionId"],
    arb: fc.oneof(
      withForbidden("pc-corpus0001", "_ -.:/"),
      fc.constantFrom("", "pc-", "PC-abc", "vco-abc"),
      notString,
    ),
  },
  { path: ["cipherSuite"], arb: notIn(["GCM-AES-128", "GCM-AES-XPN-128", "GCM-AES-256", "GCM-AES-XPN-256"]) },
  {
    path: ["cipherSuite"],
    arb: fc.constantFrom("GCM-AES-128", "GCM-AES-XPN-128"),
    names: ["ckn", "cak"],
    label: "key length of the suite",
  },
  { path: ["ckn"], arb: badHex },
  { path: ["cak"], arb: badHex, secret: true },
  { path: ["active"], arb: notBoolean },
  { path: ["timeoutSeconds"], arb: intOutOf(1, 86_400) },
];

const REPLICA_BY_NAME = {
  keyringName: "orders",
  keyName: "mrk-orders",
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
};
const REPLICA_BY_ID = {
  keyId: "39a0e7c6-b7dd-4c83-b400-3449bb95403a",
  primaryRegion: "cn-beijing",
  replicaRegion: "cn-shanghai",
};
const badName = fc.oneof(
  withForbidden("mrk-orders", " .:@é/"),
  stringOf(lower, 0, 1),
  stringOf(lower, 32, 60),
  notString,
);
const badVolcRegion = fc.oneof(
  withForbidden("cn-shanghai", "A_ .:"),
  fc.constantFrom("", "cn", "c-shanghai"),
  notString,
);

const replicaCases: FieldCase[] = [
  {
    path: ["keyId"],
    base: REPLICA_BY_ID,
    arb: fc.oneof(
      uuidLike.map((u) => u.replace(/-/g, "")),
      uuidLike.map((u) => `${u}0`),
      withForbidden("39a0e7c6-b7dd-4c83-b400-3449bb95403a", "g_ :"),
      notString,
    ),
  },
  { path: ["keyId"], base: REPLICA_BY_NAME, arb: uuidLike, label: "keyId with names" },
  {
    path: ["keyId"],
    base: { primaryRegion: "cn-beijing", replicaRegion: "cn-shanghai" },
    arb: fc.constant(undefined),
    label: "no key named",
  },
  { path: ["keyringName"], arb: badName },
  {
    path: ["keyringName"],
    base: { ...REPLICA_BY_NAME, keyringName: undefined },
    arb: fc.constant(undefined),
    label: "keyName alone",
  },
  { path: ["keyName"], arb: badName },
  { path: ["primaryRegion"], arb: badVolcRegion },
  { path: ["replicaRegion"], arb: badVolcRegion },
  { path: ["replicaRegion"], arb: fc.constant("cn-beijing"), label: "same as primary" },
  {
    path: ["description"],
    arb: fc.oneof(
      fc.integer({ min: 8193, max: 9000 }).map((n) => "d".repeat(n)),
      notString,
    ),
  },
  { path: ["pendingWindowInDays"], arb: intOutOf(7, 30) },
  { path: ["timeoutSeconds"], arb: intOutOf(1, 86_400) },
];

const VPN_BASE = { region: "cn-hangzhou", vpnConnectionId: "vco-corpus0001", presharedKeys: {} };
const DUAL_BASE = { ...VPN_BASE, tunnelOptionsSpecification: [{ role: "master" }] };
const lifetime = intOutOf(0, 86_400);
const ENC = ["aes", "aes192", "aes256", "des", "3des", "sm4"];
const AUTH = ["md5", "sha1", "sha256", "sha384", "sha512", "sm3"];
const PFS = ["group1", "group2", "group5", "group14"];
const badIdentifier = fc.oneof(
  fc.constant(""),
  withForbidden("198.51.100.1", " \t"),
  stringOf(lower, 101, 130),
  notString,
);
const badAsn = fc.oneof(
  fc.constantFrom(0, -1, 4_294_967_296, 1.5, "0", "abc", "1.2.3", "65536.1", "12345678901", ""),
  fc.maxSafeNat().filter((n) => n > 4_294_967_295),
  fc.boolean(),
  fc.constant(null),
);
const badTunnelCidr = fc.oneof(
  badCidr,
  fc.constantFrom("169.254.10.0/29", "10.0.0.0/30", "169.254.0.0/30", "169.254.169.252/30"),
  notString,
);
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

/** Cases for an IKE / IPsec / BGP block at `at` (top level or inside a tunnel). */
function ikeCases(at: Path, base: Record<string, unknown>, pskNames: string[]): FieldCase[] {
  return [
    { path: [...at], base, arb: notObject },
    { path: [...at, "unknownSetting"], base, arb: fc.string(), names: [render(at)] },
    { path: [...at, "psk"], base, arb: badPsk, secret: true, names: pskNames },
    { path: [...at, "ikeVersion"], base, arb: notIn(["ikev1", "ikev2"]) },
    { path: [...at, "ikeMode"], base, arb: notIn(["main", "aggressive"]) },
    { path: [...at, "ikeEncAlg"], base, arb: notIn(ENC) },
    { path: [...at, "ikeAuthAlg"], base, arb: notIn(AUTH) },
    { path: [...at, "ikePfs"], base, arb: notIn(PFS) },
    { path: [...at, "ikeLifetime"], base, arb: lifetime },
    { path: [...at, "localId"], base, arb: badIdentifier },
    { path: [...at, "remoteId"], base, arb: badIdentifier },
  ];
}

function ipsecCases(at: Path, base: Record<string, unknown>): FieldCase[] {
  return [
    { path: [...at], base, arb: notObject },
    { path: [...at, "unknownSetting"], base, arb: fc.string(), names: [render(at)] },
    { path: [...at, "ipsecEncAlg"], base, arb: notIn(ENC) },
    { path: [...at, "ipsecAuthAlg"], base, arb: notIn(AUTH) },
    { path: [...at, "ipsecPfs"], base, arb: notIn(["disabled", ...PFS]) },
    { path: [...at, "ipsecLifetime"], base, arb: lifetime },
  ];
}

function bgpCases(at: Path, base: Record<string, unknown>, withEnable: boolean): FieldCase[] {
  const cases: FieldCase[] = [
    { path: [...at], base, arb: notObject },
    { path: [...at, "unknownSetting"], base, arb: fc.string(), names: [render(at)] },
    { path: [...at, "localAsn"], base, arb: badAsn },
    { path: [...at, "tunnelCidr"], base, arb: badTunnelCidr },
    { path: [...at, "localBgpIp"], base, arb: badIpv4 },
    {
      path: [...at, "localBgpIp"],
      base: setAt(base, [...at, "tunnelCidr"], "169.254.10.0/30"),
      arb: fc.constantFrom("169.254.10.0", "169.254.10.3", "169.254.11.1", "10.0.0.1"),
      label: "BGP address outside the tunnel block",
    },
  ];
  if (withEnable) cases.push({ path: [...at, "enableBgp"], base, arb: notBoolean });
  return cases;
}

const vpnCases: FieldCase[] = [
  {
    path: ["region"],
    arb: fc.oneof(withForbidden("cn-hangzhou", "A_ .:"), fc.constantFrom("", "cnhangzhou"), notString),
  },
  { path: ["vpnConnectionId"], arb: fc.oneof(fc.constant(""), notString) },
  {
    path: ["name"],
    arb: fc.oneof(
      fc.constant(""),
      stringOf(lower, 101, 140),
      fc.constantFrom("http://branch", "https://branch"),
      notString,
    ),
  },
  ...(["localSubnet", "remoteSubnet"] as const).map((f) => ({
    path: [f],
    arb: fc.oneof(
      badCidr,
      fc.constantFrom("", " , ", []),
      fc.array(badCidr, { minLength: 1, maxLength: 2 }).map((a) => ["10.0.0.0/16", ...a]),
      fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    ),
  })),
  ...(
    ["effectImmediately", "autoConfigRoute", "enableDpd", "enableNatTraversal", "restoreOnDelete"] as const
  ).map((f) => ({ path: [f], arb: notBoolean })),
  { path: ["enableTunnelsBgp"], base: DUAL_BASE, arb: notBoolean },
  ...ikeCases(["ikeConfig"], VPN_BASE, ["ikeConfig.psk"]),
  ...ipsecCases(["ipsecConfig"], VPN_BASE),
  { path: ["healthCheckConfig"], arb: notObject },
  { path: ["healthCheckConfig", "unknownSetting"], arb: fc.string(), names: ["healthCheckConfig"] },
  { path: ["healthCheckConfig", "enable"], arb: notBoolean },
  { path: ["healthCheckConfig", "dip"], arb: badIpv4 },
  { path: ["healthCheckConfig", "sip"], arb: badIpv4 },
  { path: ["healthCheckConfig", "interval"], arb: intBelow(1) },
  { path: ["healthCheckConfig", "retry"], arb: intBelow(1) },
  ...bgpCases(["bgpConfig"], VPN_BASE, true),
  {
    path: ["remoteCaCertificate"],
    arb: fc.oneof(fc.string(), fc.constant(CERT.replace("END", "FIN")), notString),
  },
  // Dual-tunnel connections.
  {
    path: ["tunnelOptionsSpecification"],
    arb: fc.oneof(
      fc.constant([]),
      fc.constant([{ role: "master" }, { role: "slave" }, { tunnelId: "tun-3" }]),
      notObject.filter((v) => !Array.isArray(v)),
      fc.constant([{}]),
      fc.constant([{ role: "master" }, { role: "master" }]),
    ),
  },
  {
    path: ["tunnelOptionsSpecification"],
    base: { ...DUAL_BASE, tunnelOptionsSpecification: undefined, ikeConfig: { ikeVersion: "ikev2" } },
    arb: fc.constant([{ role: "master" }]),
    label: "single- and dual-tunnel settings together",
  },
  {
    path: ["tunnelOptionsSpecification", 0, "tunnelId"],
    base: DUAL_BASE,
    arb: fc.oneof(fc.constant(""), notString),
  },
  { path: ["tunnelOptionsSpecification", 0, "role"], base: DUAL_BASE, arb: notIn(["master", "slave"]) },
  {
    path: ["tunnelOptionsSpecification", 0, "customerGatewayId"],
    base: DUAL_BASE,
    arb: fc.oneof(fc.constant(""), stringOf("cgw-abc0123", 65, 90), notString),
  },
  {
    path: ["tunnelOptionsSpecification", 0, "unknownSetting"],
    base: DUAL_BASE,
    arb: fc.string(),
    names: ["tunnelOptionsSpecification[0]"],
  },
  ...ikeCases(["tunnelOptionsSpecification", 0, "tunnelIkeConfig"], DUAL_BASE, [
    "tunnelOptionsSpecification[0].tunnelIkeConfig.psk",
  ]),
  ...ipsecCases(["tunnelOptionsSpecification", 0, "tunnelIpsecConfig"], DUAL_BASE),
  ...bgpCases(["tunnelOptionsSpecification", 0, "tunnelBgpConfig"], DUAL_BASE, false),
  { path: ["tunnelOptionsSpecification", 0, "enableDpd"], base: DUAL_BASE, arb: notBoolean },
  { path: ["tunnelOptionsSpecification", 0, "enableNatTraversal"], base: DUAL_BASE, arb: notBoolean },
  {
    path: ["tunnelOptionsSpecification", 0, "remoteCaCertificate"],
    base: DUAL_BASE,
    arb: fc.oneof(fc.string(), notString),
  },
  // The secret property the Resource class moves PSKs into.
  { path: ["presharedKeys"], arb: notObject, names: ["presharedKeys"] },
  { path: ["presharedKeys", "unknownSetting"], arb: fc.string(), names: ["presharedKeys"] },
  { path: ["presharedKeys", "ikeConfig"], arb: badPsk, secret: true, names: ["ikeConfig.psk"] },
  {
    path: ["presharedKeys", "tunnels"],
    base: DUAL_BASE,
    arb: fc.oneof(
      notObject,
      badPsk.map((p) => ({ master: p })),
    ),
    secret: true,
    names: ["presharedKeys.tunnels", "tunnelOptionsSpecification[0].tunnelIkeConfig.psk"],
  },
  {
    path: ["presharedKeys", "tunnels"],
    base: DUAL_BASE,
    arb: fc.constant({ slave: "Valid-Psk-1" }),
    names: ["presharedKeys.tunnels"],
    label: "PSK for a tunnel that is not specified",
  },
  { path: ["timeoutSeconds"], arb: intOutOf(1, 86_400) },
];

const RESOURCES: Resource[] = [
  { name: "Cmk", check: cmk.check, schema: cmkSchema, base: CMK_BASE, cases: cmkCases },
  {
    name: "ImportedKeyMaterial",
    check: material.check,
    schema: materialSchema,
    base: MATERIAL_BASE,
    cases: materialCases,
  },
  {
    name: "MacsecKeyAssociation",
    check: macsec.check,
    schema: macsecSchema,
    base: MACSEC_BASE,
    cases: macsecCases,
  },
  {
    name: "ReplicaKey",
    check: replica.check,
    schema: replicaSchema,
    base: REPLICA_BY_NAME,
    cases: replicaCases,
  },
  { name: "VpnConnectionConfig", check: vpn.check, schema: vpnSchema, base: VPN_BASE, cases: vpnCases },
];

// ------------------------------------------------------------------------------------------------ schema shapes

interface Def {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  element?: ZodLike;
  shape?: Record<string, ZodLike>;
}
interface ZodLike {
  _zod: { def: Def };
}

/** The object shape behind optional / nullable / default / pipe / array wrappers, if there is one. */
function shapeOf(schema: ZodLike): Record<string, ZodLike> | undefined {
  let s: ZodLike | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    const def: Def = s._zod.def;
    if (def.type === "object") return def.shape;
    s = def.innerType ?? def.in ?? def.element;
  }
  return undefined;
}

/** Every input path of a schema, two levels deep (fields, and the fields of object-valued fields). */
function inputPaths(schema: z.ZodType): string[] {
  const top = shapeOf(schema as unknown as ZodLike) ?? {};
  const out: string[] = [];
  for (const [key, field] of Object.entries(top)) {
    out.push(key);
    for (const sub of Object.keys(shapeOf(field) ?? {})) out.push(`${key}.${sub}`);
  }
  return out;
}

/** A case's path without array indexes and only two levels deep, to compare with the schema's input paths. */
const covers = (c: FieldCase) =>
  c.path
    .filter((p) => typeof p === "string")
    .slice(0, 2)
    .join(".");

// ------------------------------------------------------------------------------------------------ the suite

/** src/clouds/secrets.ts keeps every registered secret in this set on globalThis. */
function secretRegistry(): Set<string> | undefined {
  return (globalThis as unknown as Record<symbol, Set<string> | undefined>)[
    Symbol.for("pulumi-keylink.secret-values")
  ];
}

const fieldPrefix = (text: string, n: string) =>
  text === n || text.startsWith(`${n}.`) || text.startsWith(`${n}[`);

/**
 * A failure names the field by its property; or, for a value that holds a secret, by its reason alone: the
 * engine prints a failure's value next to its property (in plaintext, Pulumi 3.259), so check() leaves the
 * property empty there (src/resources/common/check.ts) and the reason starts with the field.
 */
function namesField(f: { property: string; reason: string }, n: string): boolean {
  if (f.property !== "") return fieldPrefix(f.property, n);
  const field = /^([^:]+): /.exec(f.reason)?.[1];
  return field !== undefined && fieldPrefix(field, n);
}

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = emulator.url;
});

afterAll(async () => {
  await emulator.close();
});

describe.each(RESOURCES)("invalid inputs of $name", (resource) => {
  it("has a generator for every input of the schema", () => {
    const covered = new Set(resource.cases.map(covers));
    const missing = inputPaths(resource.schema).filter((p) => !covered.has(p));
    expect(missing).toEqual([]);
  });

  it(`are rejected by check, naming the field, without any cloud call (seed ${SEED})`, async () => {
    fc.configureGlobal({ seed: SEED });
    await emulator.admin.clearRequests();
    const runs = Math.max(MIN_RUNS_PER_FIELD, Math.ceil(RUNS_PER_RESOURCE / resource.cases.length));
    let total = 0;
    for (const c of resource.cases) {
      const names = c.names ?? [render(c.path)];
      await fc.assert(
        fc.asyncProperty(c.arb, async (value) => {
          total++;
          // Each call as in a fresh provider process: no secret registered by an earlier value.
          secretRegistry()?.clear();
          const news = setAt(c.base ?? resource.base, c.path, value);
          const result = await resource.check({}, news);
          const failures = (result.failures ?? []) as Array<{ property: string; reason: string }>;
          const named = failures.filter((f) => names.some((n) => namesField(f, n)));
          if (named.length === 0) {
            throw new Error(
              `${resource.name} ${c.label ?? render(c.path)} = ${JSON.stringify(value)}: no failure names ` +
                `${names.join(" or ")}; failures: ${JSON.stringify(failures)}`,
            );
          }
          for (const f of failures) {
            if (f.property !== "") expect(f.reason.startsWith(`${f.property}: `)).toBe(true);
            else expect(f.reason).toMatch(/^[A-Za-z][\w.[\]]*: /);
          }
          if (c.secret && typeof value === "string" && value.length >= 4) {
            for (const f of failures) expect(f.reason).not.toContain(value);
          }
        }),
        { numRuns: runs },
      );
      if (c.liveReads) {
        const actions = new Set((await emulator.admin.requests()).entries.map((e) => e.action));
        expect([...actions].filter((a) => !c.liveReads?.includes(a))).toEqual([]);
        await emulator.admin.clearRequests();
      }
    }
    expect(total).toBeGreaterThanOrEqual(RUNS_PER_RESOURCE);
    // Invalid by schema: refused before any cloud call (the live-judged cases' reads were checked and cleared).
    const report = await emulator.admin.requests();
    expect(report.entries).toEqual([]);
  });
});
