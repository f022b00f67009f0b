// Alibaba Cloud RPC style: every parameter (common and business) in the query string or a form body.
import { alibabaErrors as E } from "../gateway-errors";
import { authenticateAlibabaRpc } from "../signatures/alibaba-rpc";
import {
  type ParsedCall,
  type Protocol,
  type RawRequest,
  aliyunHostRegion,
  formPairs,
  hostLabel,
  lastValues,
  queryPairs,
} from "./request";

/** Signing and envelope parameters, which models never see. */
const COMMON = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
]);

/** STS actions a caller makes without an access key: the OIDC token is the proof of identity. */
const UNSIGNED_ACTIONS = new Set(["AssumeRoleWithOIDC"]);

function allParams(raw: RawRequest): Record<string, string> {
  return lastValues([...queryPairs(raw), ...formPairs(raw)]);
}

export const alibabaRpc: Protocol = {
  id: "alibaba-rpc",
  cloud: "alibaba",
  errors: E,
  matches: (raw) => {
    const p = allParams(raw);
    return Boolean(p.Action && (p.AccessKeyId || UNSIGNED_ACTIONS.has(p.Action)));
  },
  parse(raw): ParsedCall {
    const p = allParams(raw);
    if (!p.Version) throw E.missingParameter("Version");
    return {
      action: p.Action,
      version: p.Version,
      // KMS has no RegionId parameter: its region is the endpoint's (kms.<region>.aliyuncs.com).
      region: p.RegionId ?? aliyunHostRegion(raw) ?? "",
      serviceHint: hostLabel(raw),
      serviceStrict: false,
      // An unsigned call acts in no account; the STS model decides from the token which one it may enter.
      authenticate: (env) =>
        !p.AccessKeyId && UNSIGNED_ACTIONS.has(p.Action) ? "" : authenticateAlibabaRpc(raw.method, p, env),
      params: () => Object.fromEntries(Object.entries(p).filter(([k]) => !COMMON.has(k))),
    };
  },
};
