import { z } from "zod";
import {
  MACSEC_CIPHER_SUITES,
  MACSEC_KEY_HEX,
  MACSEC_KEY_SETS_PER_CONNECTION,
  MACSEC_SETTLED_STATUSES,
  PHYSICAL_CONNECTION_ID,
  macsecKeyHexLength,
} from "../../../clouds/facts/alibaba-vpc-macsec";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext } from "../../types";
import { type MacsecKeyRecord, type MacsecModel, type PhysicalConnectionRecord, hashCak } from "./model";

// The fixture format for physical connections and their MACsec key sets (under fixtures.alibabaVpc, key
// physicalConnections), checked with the facts the cloud documents, and its mapping onto the model's records.

const keyFixture = z
  .object({
    ckn: z.string().regex(MACSEC_KEY_HEX, "must be hexadecimal"),
    cak: z.string().regex(MACSEC_KEY_HEX, "must be hexadecimal"),
    cipherSuite: z.enum(MACSEC_CIPHER_SUITES),
    /** Settled statuses only; AssociatedFailed is how tests set up a failed negotiation. */
    status: z.enum(MACSEC_SETTLED_STATUSES).default("Associated"),
    startOn: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((k, c) => {
    const len = macsecKeyHexLength(k.cipherSuite);
    for (const f of ["ckn", "cak"] as const) {
      if (k[f].length !== len) {
        c.addIssue({
          code: "custom",
          path: [f],
          message: `must be ${len} hex characters for ${k.cipherSuite}`,
        });
      }
    }
  });

const connectionFixture = z
  .object({
    physicalConnectionId: z.string().regex(PHYSICAL_CONNECTION_ID, "must look like pc-xxxx"),
    region: z.string().min(1),
    account: z.string().min(1).optional(),
    name: z.string().default(""),
    description: z.string().default(""),
    productType: z.enum(["PhysicalConnection", "VirtualPhysicalConnection"]).optional(),
    parentPhysicalConnectionId: z.string().optional(),
    status: z.string().default("Enabled"),
    businessStatus: z.string().default("Normal"),
    accessPointId: z.string().default("ap-cn-hangzhou-yh-B"),
    portType: z.string().default("10GBase-LR"),
    bandwidth: z.number().int().positive().default(10000),
    lineOperator: z.string().default("CT"),
    spec: z.string().default("10G"),
    chargeType: z.string().default("Prepaid"),
    fullyPaid: z.boolean().default(true),
    macsecCapable: z.boolean().optional(),
    supportedCipherSuites: z.array(z.enum(MACSEC_CIPHER_SUITES)).default([...MACSEC_CIPHER_SUITES]),
    negotiationFails: z.boolean().default(false),
    macsecKeys: z.array(keyFixture).max(MACSEC_KEY_SETS_PER_CONNECTION).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ckns = c.macsecKeys.map((k) => k.ckn.toUpperCase());
    ckns.forEach((ckn, i) => {
      if (ckns.indexOf(ckn) !== i)
        ctx.addIssue({ code: "custom", path: ["macsecKeys", i, "ckn"], message: "duplicate CKN" });
    });
    if (c.macsecKeys.filter((k) => k.status !== "Disassociated").length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["macsecKeys"],
        message: "at most one key can be Associated or AssociatedFailed",
      });
    }
  });

const fixturesSchema = z.object({ physicalConnections: z.array(connectionFixture).optional() });

type ConnectionFixture = z.output<typeof connectionFixture>;

function fixtureError(error: z.ZodError): Error {
  const lines = error.issues.map((i) => {
    const where = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    return `alibabaVpc${where}: ${i.message}`;
  });
  return new Error(`Invalid alibabaVpc fixtures: ${lines.join("; ")}`);
}

function toRecord(f: ConnectionFixture, now: number, activation: () => number): PhysicalConnectionRecord {
  const productType =
    f.productType ?? (f.parentPhysicalConnectionId ? "VirtualPhysicalConnection" : "PhysicalConnection");
  // Fixture order is activation order, except that the key holding the active role was activated last.
  const order = [...f.macsecKeys].sort(
    (a, b) => Number(a.status !== "Disassociated") - Number(b.status !== "Disassociated"),
  );
  const activations = new Map(order.map((k) => [k, activation()]));
  const macsecKeys: MacsecKeyRecord[] = f.macsecKeys.map((k) => ({
    ckn: k.ckn.toUpperCase(),
    cakSha256: hashCak(k.cak),
    cipherSuite: k.cipherSuite,
    status: k.status,
    startOn: k.startOn ? Date.parse(k.startOn) : now,
    activation: activations.get(k) ?? 0,
  }));
  return {
    physicalConnectionId: f.physicalConnectionId,
    regionId: f.region,
    account: f.account ?? DEFAULT_ACCOUNT.account,
    name: f.name,
    description: f.description,
    productType,
    parentPhysicalConnectionId: f.parentPhysicalConnectionId,
    status: f.status,
    businessStatus: f.businessStatus,
    accessPointId: f.accessPointId,
    portType: f.portType,
    bandwidth: f.bandwidth,
    lineOperator: f.lineOperator,
    spec: f.spec,
    chargeType: f.chargeType,
    creationTime: now,
    fullyPaid: f.fullyPaid,
    macsecCapable: f.macsecCapable ?? productType === "PhysicalConnection",
    supportedCipherSuites: f.supportedCipherSuites,
    negotiationFails: f.negotiationFails,
    macsecKeys,
  };
}

/** Adds the physical connections of the fixtures to the model; invalid fixtures throw, naming the field. */
export function loadFixtures(model: MacsecModel, fixtures: unknown, ctx: ServiceContext): void {
  const parsed = fixturesSchema.safeParse(fixtures ?? {});
  if (!parsed.success) throw fixtureError(parsed.error);
  for (const f of parsed.data.physicalConnections ?? []) {
    model.put(toRecord(f, ctx.now(), () => model.nextActivation()));
  }
}
