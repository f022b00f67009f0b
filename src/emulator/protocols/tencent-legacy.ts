// Tencent Cloud legacy (v2) API: GET /v2/index.php with every parameter in the query string.
import { LEGACY_COMMON_PARAMS } from "../../clouds/facts/tencent-kms";
import { tencentLegacyErrors as E } from "../gateway-errors";
import { authenticateTencentLegacy } from "../signatures/tencent-legacy";
import {
  type ParsedCall,
  type Protocol,
  type RawRequest,
  formPairs,
  header,
  lastValues,
  queryPairs,
} from "./request";

export const LEGACY_PATH = "/v2/index.php";

const COMMON = new Set(LEGACY_COMMON_PARAMS);

function allParams(raw: RawRequest): Record<string, string> {
  return lastValues([...queryPairs(raw), ...formPairs(raw)]);
}

export const tencentLegacy: Protocol = {
  id: "tencent-legacy",
  cloud: "tencent",
  errors: E,
  matches: (raw) => raw.path === LEGACY_PATH,
  parse(raw): ParsedCall {
    const p = allParams(raw);
    if (!p.Action) throw E.missingParameter("Action");
    const host = header(raw, "host") ?? "";
    return {
      action: p.Action,
      version: "",
      region: p.Region ?? "",
      // Legacy hosts are kms-<region>.api.qcloud.com.
      serviceHint: host.split(/[.:-]/)[0],
      serviceStrict: false,
      authenticate: (env) =>
        authenticateTencentLegacy({ method: raw.method, host, path: raw.path, params: p }, env),
      params: () => Object.fromEntries(Object.entries(p).filter(([k]) => !COMMON.has(k))),
    };
  },
};
