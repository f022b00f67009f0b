// Alibaba Cloud RPC actions signed with V3 (ACS3-HMAC-SHA256): action, version, date and nonce travel in x-acs-*
// headers, business parameters in the query and/or a form body. Same actions and envelopes as the V2 form
// (./alibaba-rpc.ts), so it shares that protocol's id: only the signature differs.
import { alibabaErrors as E } from "../gateway-errors";
import { authenticateAlibabaV3, parseAcs3Authorization } from "../signatures/alibaba-v3";
import {
  type ParsedCall,
  type Protocol,
  type RawRequest,
  aliyunHostRegion,
  formPairs,
  header,
  hostLabel,
  lastValues,
  queryPairs,
} from "./request";

function authorization(raw: RawRequest): string {
  return header(raw, "authorization") ?? "";
}

export const alibabaRpcV3: Protocol = {
  id: "alibaba-rpc",
  cloud: "alibaba",
  errors: E,
  matches: (raw) => /^ACS3-/.test(authorization(raw)),
  parse(raw): ParsedCall {
    const auth = parseAcs3Authorization(authorization(raw));
    const action = header(raw, "x-acs-action");
    const version = header(raw, "x-acs-version");
    if (!action) throw E.missingParameter("Action");
    if (!version) throw E.missingParameter("Version");
    const query = queryPairs(raw);
    const params = lastValues([...query, ...formPairs(raw)]);
    return {
      action,
      version,
      region: params.RegionId ?? aliyunHostRegion(raw) ?? "",
      serviceHint: hostLabel(raw),
      serviceStrict: false,
      authenticate: (env) =>
        authenticateAlibabaV3(
          { method: raw.method, path: raw.path, query, header: (n) => header(raw, n), body: raw.body },
          auth,
          env,
        ),
      params: () => params,
    };
  },
};
