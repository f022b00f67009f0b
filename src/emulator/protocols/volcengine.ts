// Volcengine OpenAPI: Action and Version in the query, other parameters in the query (GET) and/or a JSON or
// form body (POST); signed with an Authorization header.
import { STS_VERSION } from "../../clouds/facts/volcengine-sts";
import { volcengineErrors as E } from "../gateway-errors";
import { authenticateVolcengine, parseVolcengineAuthorization } from "../signatures/volcengine";
import {
  type ParsedCall,
  type Protocol,
  type RawRequest,
  formPairs,
  header,
  isForm,
  jsonObjectBody,
  queryPairs,
} from "./request";

function authorization(raw: RawRequest): string {
  return header(raw, "authorization") ?? "";
}

/**
 * STS actions a caller makes unsigned (no Authorization): the OIDC token is the proof. Volcengine's SDKs post
 * them to /?Action=AssumeRoleWithOIDC&Version=2018-01-01 with a form body.
 */
const UNSIGNED_ACTIONS = new Set(["AssumeRoleWithOIDC"]);

function unsignedAction(raw: RawRequest): string | undefined {
  if (authorization(raw) !== "") return undefined;
  const query = queryPairs(raw);
  const action = query.find(([k]) => k === "Action")?.[1];
  // Alibaba's AssumeRoleWithOIDC is unsigned too, with its own STS version (2015-04-01).
  const version = query.find(([k]) => k === "Version")?.[1];
  return action && UNSIGNED_ACTIONS.has(action) && version === STS_VERSION ? action : undefined;
}

/** Query or form pairs to a record; a repeated key becomes an array of its values. */
function collect(pairs: Array<[string, string]>): Record<string, unknown> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of pairs) {
    const prev = out.get(k);
    out.set(k, prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]);
  }
  return Object.fromEntries(out);
}

export const volcengine: Protocol = {
  id: "volcengine",
  cloud: "volcengine",
  errors: E,
  matches: (raw) => /^HMAC-SHA256\s/.test(authorization(raw)) || unsignedAction(raw) !== undefined,
  parse(raw): ParsedCall {
    const query = queryPairs(raw);
    const unsigned = unsignedAction(raw);
    const auth = unsigned
      ? { region: "", service: "sts", accessKeyId: "", date: "", signedHeaders: [], signature: "" }
      : parseVolcengineAuthorization(authorization(raw));
    const action = query.find(([k]) => k === "Action")?.[1];
    const version = query.find(([k]) => k === "Version")?.[1];
    if (!action) throw E.missingParameter("Action");
    if (!version) throw E.missingParameter("Version");
    return {
      action,
      version,
      region: auth.region,
      serviceHint: auth.service,
      serviceStrict: true,
      authenticate: (env) =>
        unsigned
          ? ""
          : authenticateVolcengine(
              { method: raw.method, path: raw.path, query, header: (n) => header(raw, n), body: raw.body },
              auth,
              env,
            ),
      params: () => {
        const fromQuery = collect(query.filter(([k]) => k !== "Action" && k !== "Version"));
        const fromBody = isForm(raw) ? collect(formPairs(raw)) : jsonObjectBody(raw, E.badBody);
        return { ...fromQuery, ...fromBody };
      },
    };
  },
};
