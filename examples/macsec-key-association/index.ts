// MACsec CKN/CAK key sets on an Alibaba Cloud Express Connect dedicated physical connection.
//
// One key set:
//   pulumi config set example:ckn <64 hex characters>
//   pulumi config set --secret example:cak <64 hex characters>
//
// Several key sets on one connection (at most three; one of them active, the others standbys for rotation):
//   pulumi config set example:keySets '[{"name":"primary","ckn":"<hex>"},{"name":"standby","ckn":"<hex>","active":false}]'
//   pulumi config set --secret example:caks '{"primary":"<hex>","standby":"<hex>"}'
//
// Optional: example:physicalConnectionId (default pc-demo0001), example:region (cn-hangzhou) and
// example:cipherSuite (GCM-AES-XPN-256; CKN and CAK are 64 hex characters for the -256 suites, 32 for the -128 ones).
//
// The CAKs stay in secret config and are stored encrypted in state. Mark at most one key set active: associating
// a key makes it the connection's active key, so two active key sets would take the role from each other.
import * as pulumi from "@pulumi/pulumi";
import { MacsecCipherSuite, MacsecKeyAssociation } from "pulumi-keylink";

interface KeySet {
  name: string;
  ckn: string;
  active?: boolean;
}

export = async () => {
  const cfg = new pulumi.Config("example");
  const physicalConnectionId = cfg.get("physicalConnectionId") ?? "pc-demo0001";
  const cipherSuite = (cfg.get("cipherSuite") ?? "GCM-AES-XPN-256") as MacsecCipherSuite;

  const keySets = cfg.getObject<KeySet[]>("keySets");
  const sets: Array<KeySet & { cak: pulumi.Output<string> }> = keySets
    ? keySets.map((k) => ({ ...k, cak: cakOf(cfg, k.name) }))
    : [{ name: "link-key", ckn: cfg.require("ckn"), cak: cfg.requireSecret("cak") }];

  const keys = sets.map(
    (k) =>
      new MacsecKeyAssociation(k.name, {
        region: cfg.get("region") ?? "cn-hangzhou",
        physicalConnectionId,
        cipherSuite,
        ckn: k.ckn,
        cak: k.cak,
        active: k.active ?? true,
      }),
  );
  return {
    keySets: Object.fromEntries(
      keys.map((key, i) => [sets[i].name, { ckn: key.ckn, status: key.status, activeCkn: key.activeCkn }]),
    ),
  };
};

/** The CAK of key set `name` from the secret object example:caks; the result stays secret. */
function cakOf(cfg: pulumi.Config, name: string): pulumi.Output<string> {
  return cfg.requireSecretObject<Record<string, string>>("caks").apply((caks) => {
    const cak = caks[name];
    if (typeof cak !== "string") throw new Error(`example:caks has no CAK for key set "${name}"`);
    return cak;
  });
}
