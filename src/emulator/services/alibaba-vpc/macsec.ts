import { z } from "zod";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { illegalParam, missingParameter } from "./macsec-errors";
import {
  CAK_MASK,
  CIPHER_SUITES,
  ConnectionFilter,
  MACSEC_KEY_QUOTA,
  MacsecKeyRecord,
  MacsecModel,
  PhysicalConnectionRecord,
  displayedStatus,
  hashCak,
  isSupportedFilterKey,
  isoSeconds,
  keyHexLength,
} from "./macsec-model";
import type { VpcPart } from "./part";

// The MACsec part of the Alibaba VPC service: the wire-facing handlers of AssociateMacSecKey,
// DisassociateMacSecKey and DescribePhysicalConnections (read parameters, call the model, shape the payload),
// plus fixtures, state and inventory of physical connections. Rules live in macsec-model.ts.

const TRANSITION = "macsecTransition";
const HEX = /^[0-9A-Fa-f]+$/;

const keyFixture = z
  .object({
    ckn: z.string().regex(HEX, "must be hexadecimal"),
    cak: z.string().regex(HEX, "must be hexadecimal"),
    cipherSuite: z.enum(CIPHER_SUITES),
    /** Settled statuses only; AssociatedFailed is how tests set up a failed negotiation. */
    status: z.enum(["Associated", "Disassociated", "AssociatedFailed"]).default("Associated"),
    startOn: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((k, c) => {
    const len = keyHexLength(k.cipherSuite);
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
    physicalConnectionId: z.string().regex(/^pc-[A-Za-z0-9]+$/, "must look like pc-xxxx"),
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
    supportedCipherSuites: z.array(z.enum(CIPHER_SUITES)).default([...CIPHER_SUITES]),
    negotiationFails: z.boolean().default(false),
    macsecKeys: z.array(keyFixture).max(MACSEC_KEY_QUOTA).default([]),
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

function param(req: ServiceRequest, name: string): string | undefined {
  const v = req.params[name];
  if (v === undefined || v === null || v === "") return undefined;
  return String(v);
}

function required(req: ServiceRequest, name: string): string {
  const v = param(req, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

function intParam(req: ServiceRequest, name: string, def: number, min: number, max: number): number {
  const raw = param(req, name);
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw illegalParam(name);
  return n;
}

/** Reads Filter.N.Key / Filter.N.Value.M from the flat RPC parameters. */
function filters(req: ServiceRequest): ConnectionFilter[] {
  const out: ConnectionFilter[] = [];
  for (let n = 1; param(req, `Filter.${n}.Key`) !== undefined; n++) {
    const key = param(req, `Filter.${n}.Key`) as string;
    if (!isSupportedFilterKey(key)) throw illegalParam(`Filter.${n}.Key`);
    const values: string[] = [];
    for (let m = 1; param(req, `Filter.${n}.Value.${m}`) !== undefined; m++) {
      values.push(param(req, `Filter.${n}.Value.${m}`) as string);
    }
    if (values.length > 0) out.push({ key, values });
  }
  return out;
}

function connectionView(
  model: MacsecModel,
  c: PhysicalConnectionRecord,
  now: number,
): Record<string, unknown> {
  return {
    AccessPointId: c.accessPointId,
    AccessPointType: "VPC",
    Bandwidth: c.bandwidth,
    BusinessStatus: c.businessStatus,
    ChargeType: c.chargeType,
    CircuitCode: "",
    CreationTime: isoSeconds(c.creationTime),
    Description: c.description,
    EnabledTime: isoSeconds(c.creationTime),
    LineOperator: c.lineOperator,
    MacsecKeys: { MacsecKey: c.macsecKeys.map((k) => model.keyView(k, now)) },
    Name: c.name,
    ParentPhysicalConnectionId: c.parentPhysicalConnectionId ?? "",
    PhysicalConnectionId: c.physicalConnectionId,
    PortType: c.portType,
    ProductType: c.productType,
    Spec: c.spec,
    Status: c.status,
    Tags: { tags: [] },
    Type: "VPC",
  };
}

const WRITES = new Set(["AssociateMacSecKey", "DisassociateMacSecKey"]);

export function createMacsecPart(): VpcPart {
  const model = new MacsecModel();
  const clock = (ctx: ServiceContext) => ({ now: ctx.now(), transitionMs: ctx.durationMs(TRANSITION) });

  const actions: Record<string, ActionHandler> = {
    AssociateMacSecKey(req, ctx) {
      model.associate(
        {
          region: req.region,
          account: req.account,
          physicalConnectionId: required(req, "PhysicalConnectionId"),
          cipherSuite: required(req, "CipherSuite"),
          ckn: required(req, "Ckn"),
          cak: required(req, "Cak"),
        },
        clock(ctx),
      );
      ctx.changed();
      return {};
    },
    DisassociateMacSecKey(req, ctx) {
      model.disassociate(
        {
          region: req.region,
          account: req.account,
          physicalConnectionId: required(req, "PhysicalConnectionId"),
          ckn: required(req, "Ckn"),
        },
        clock(ctx),
      );
      ctx.changed();
      return {};
    },
    DescribePhysicalConnections(req, ctx) {
      const pageNumber = intParam(req, "PageNumber", 1, 1, Number.MAX_SAFE_INTEGER);
      const pageSize = intParam(req, "PageSize", 10, 1, 50);
      const all = model.describe(req.region, req.account, filters(req));
      const now = ctx.now();
      const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
      return {
        PageNumber: pageNumber,
        PageSize: pageSize,
        TotalCount: all.length,
        PhysicalConnectionSet: { PhysicalConnectionType: page.map((c) => connectionView(model, c, now)) },
      };
    },
  };

  return {
    actions,
    loadFixtures(fixtures, ctx) {
      const parsed = fixturesSchema.safeParse(fixtures ?? {});
      if (!parsed.success) throw fixtureError(parsed.error);
      for (const f of parsed.data.physicalConnections ?? []) {
        model.put(toRecord(f, ctx.now(), () => model.nextActivation()));
      }
    },
    toJSON: () => model.toJSON(),
    fromJSON(state) {
      const s = (state ?? {}) as { physicalConnections?: PhysicalConnectionRecord[]; activations?: number };
      model.restore(s.physicalConnections ?? [], s.activations ?? 0);
    },
    reset: () => model.reset(),
    inventory(ctx) {
      const now = ctx.now();
      return {
        physicalConnections: model.all().map((c) => ({
          physicalConnectionId: c.physicalConnectionId,
          region: c.regionId,
          account: c.account,
          productType: c.productType,
          status: c.status,
          businessStatus: c.businessStatus,
          fullyPaid: c.fullyPaid,
          macsecCapable: c.macsecCapable,
          supportedCipherSuites: c.supportedCipherSuites,
          negotiationFails: c.negotiationFails,
          macsecKeys: c.macsecKeys.map((k) => ({
            ckn: k.ckn,
            cak: CAK_MASK,
            cipherSuite: k.cipherSuite,
            status: displayedStatus(k, now),
            startOn: isoSeconds(k.startOn),
          })),
        })),
      };
    },
    // MACsec writes on one connection exclude each other (IncorrectStatus.PconnMacsec), so the request log
    // counts them per connection, as it counts VPN writes per gateway.
    lockKey(req) {
      if (!WRITES.has(req.action)) return undefined;
      const id = param(req, "PhysicalConnectionId");
      return id ? `pconn:${id}` : undefined;
    },
  };
}
