// Tencent Cloud API 3.0: action, version and region in X-TC-* headers, parameters in a JSON body (POST) or the
// query (GET), signed with TC3-HMAC-SHA256.
import { tencentErrors as E } from "../gateway-errors";
import { authenticateTc3, parseTc3Authorization } from "../signatures/tencent-tc3";
import {
  type ParsedCall,
  type Protocol,
  type RawRequest,
  header,
  jsonObjectBody,
  lastValues,
  queryPairs,
} from "./request";

function authorization(raw: RawRequest): string {
  return header(raw, "authorization") ?? "";
}

/**
 * STS actions called with `Authorization: SKIP` (no signature, no X-TC-Token): the OIDC token proves the
 * caller (https://www.tencentcloud.com/document/product/1150/49454).
 */
const UNSIGNED_ACTIONS = new Set(["AssumeRoleWithWebIdentity"]);
const isSkip = (raw: RawRequest) => authorization(raw) === "SKIP" && Boolean(header(raw, "x-tc-action"));

function unsignedCall(raw: RawRequest): ParsedCall {
  const action = header(raw, "x-tc-action") ?? "";
  const version = header(raw, "x-tc-version");
  if (!version) throw E.missingParameter("X-TC-Version");
  return {
    action,
    version,
    region: header(raw, "x-tc-region") ?? "",
    serviceHint: "sts",
    serviceStrict: false,
    authenticate: () => {
      if (!UNSIGNED_ACTIONS.has(action))
        throw E.invalidAuthorization("only STS OIDC actions may be unsigned");
      return "";
    },
    params: () => ({ ...lastValues(queryPairs(raw)), ...jsonObjectBody(raw, E.badBody) }),
  };
}

export const tencentTc3: Protocol = {
  id: "tencent-tc3",
  cloud: "tencent",
  errors: E,
  matches: (raw) => /^TC3-HMAC-SHA256\s/.test(authorization(raw)) || isSkip(raw),
  parse(raw): ParsedCall {
    if (isSkip(raw)) return unsignedCall(raw);
    const auth = parseTc3Authorization(authorization(raw));
    const action = header(raw, "x-tc-action");
    const version = header(raw, "x-tc-version");
    if (!action) throw E.missingParameter("X-TC-Action");
    if (!version) throw E.missingParameter("X-TC-Version");
    return {
      action,
      version,
      region: header(raw, "x-tc-region") ?? "",
      // A client pointed at 127.0.0.1 signs the scope ".../127/tc3_request": the label is only a hint, the
      // model is chosen by action and version.
      serviceHint: auth.service,
      serviceStrict: false,
      authenticate: (env) =>
        authenticateTc3(
          {
            method: raw.method,
            path: raw.path,
            rawQuery: raw.rawQuery,
            header: (n) => header(raw, n),
            body: raw.body,
          },
          auth,
          env,
        ),
      params: () => ({ ...lastValues(queryPairs(raw)), ...jsonObjectBody(raw, E.badBody) }),
    };
  },
};
