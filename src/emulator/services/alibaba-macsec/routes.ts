import type { ParamReader } from "../../params";
import type { ActionHandler, ServiceContext, ServiceRequest } from "../../types";
import { vpcPage, vpcParams } from "../alibaba-vpc-api";
import { illegalParam } from "./errors";
import {
  ConnectionFilter,
  MACSEC_TRANSITION,
  MacsecModel,
  PhysicalConnectionRecord,
  isSupportedFilterKey,
  isoSeconds,
} from "./model";

// The wire side of AssociateMacSecKey, DisassociateMacSecKey and DescribePhysicalConnections: reads the
// parameters, calls the model, shapes the answer as the API does. Rules live in model.ts.

function reader(req: ServiceRequest): ParamReader {
  return vpcParams(req.params, (name) => illegalParam(name));
}

/** Reads Filter.N.Key / Filter.N.Value.M from the flat RPC parameters. */
function filters(params: ParamReader): ConnectionFilter[] {
  const out: ConnectionFilter[] = [];
  for (let n = 1; params.has(`Filter.${n}.Key`); n++) {
    const key = params.text(`Filter.${n}.Key`)!;
    if (!isSupportedFilterKey(key)) throw illegalParam(`Filter.${n}.Key`);
    const values: string[] = [];
    for (let m = 1; params.has(`Filter.${n}.Value.${m}`); m++) {
      values.push(params.text(`Filter.${n}.Value.${m}`)!);
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

/** The handlers of the MACsec actions, over one model. */
export function routes(model: MacsecModel): Record<string, ActionHandler> {
  const clock = (ctx: ServiceContext) => ({
    now: ctx.now(),
    transitionMs: ctx.durationMs(MACSEC_TRANSITION),
  });
  return {
    AssociateMacSecKey(req, ctx) {
      const params = reader(req);
      model.associate(
        {
          region: req.region,
          account: req.account,
          physicalConnectionId: params.str("PhysicalConnectionId", { required: true }),
          cipherSuite: params.str("CipherSuite", { required: true }),
          ckn: params.str("Ckn", { required: true }),
          cak: params.str("Cak", { required: true }),
        },
        clock(ctx),
      );
      ctx.changed();
      return {};
    },
    DisassociateMacSecKey(req, ctx) {
      const params = reader(req);
      model.disassociate(
        {
          region: req.region,
          account: req.account,
          physicalConnectionId: params.str("PhysicalConnectionId", { required: true }),
          ckn: params.str("Ckn", { required: true }),
        },
        clock(ctx),
      );
      ctx.changed();
      return {};
    },
    DescribePhysicalConnections(req, ctx) {
      const params = reader(req);
      const now = ctx.now();
      const { paging, items } = vpcPage(params, model.describe(req.region, req.account, filters(params)));
      return {
        ...paging,
        PhysicalConnectionSet: { PhysicalConnectionType: items.map((c) => connectionView(model, c, now)) },
      };
    },
  };
}
