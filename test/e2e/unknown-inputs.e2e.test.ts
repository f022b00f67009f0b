// Inputs fed by another resource's output, which Pulumi does not know at preview, through the real CLI: for each
// resource, `preview` then `up` succeed and the next preview shows no change. Each case is a small inline program
// on a stack of its own (until the suites run as project directories). The upstream values come from outputs
// that only exist once a resource is created (a key id, a key's state), as another provider's outputs would.
import { demoFixturesOwnedBy } from "../support/fixtures";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as Keylink from "../../src";
import { EXAMPLES_DIR } from "../../scripts/engine";
import { cliWithProgram, jsonWarnings } from "./inline-cli";
import { E2E, E2E_ACCOUNT, expectNoSecrets, startE2E, stopE2E } from "./support";

jest.setTimeout(600_000);

const HANGZHOU = "cn-hangzhou";
type Program = () => Promise<Record<string, unknown>>;

function keylink(): typeof Keylink {
  return require(path.join(EXAMPLES_DIR, "node_modules", "pulumi-keylink")) as typeof Keylink;
}

/** The demo's fixtures owned by the E2E account, and one more EXTERNAL key. */
function fixtures() {
  return demoFixturesOwnedBy(E2E_ACCOUNT, {
    alibabaKms: {
      keys: [
        { keyId: "key-byok-later-0002", region: HANGZHOU, origin: "EXTERNAL", keySpec: "Aliyun_AES_256" },
      ],
    },
  });
}

/** `value` once `after` is known: an input that, like another resource's output, is unknown at preview. */
function once<T>(after: pulumi.Output<unknown>, value: T): pulumi.Output<T> {
  return after.apply(() => value);
}

/** A stack running `program`: preview, up, then a preview that must show no change. */
function deployCase(
  name: string,
  program: () => Program,
  extra?: { title: string; run: (e2e: E2E) => Promise<void> },
): void {
  describe(name, () => {
    let e2e: E2E;
    beforeAll(async () => {
      e2e = await startE2E({ example: "demo", fixtures: fixtures() });
      e2e.stack.workspace.program = program();
    });
    afterAll(async () => stopE2E(e2e));

    it("previews, deploys, and then shows no change", async () => {
      const preview = await e2e.stack.preview({ onOutput: e2e.onOutput });
      expect(preview.changeSummary.create).toBeGreaterThan(1);
      const up = await e2e.stack.up({ onOutput: e2e.onOutput });
      expect(up.summary.result).toBe("succeeded");
      await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
    });

    if (extra) it(extra.title, async () => extra.run(e2e));
  });
}

let replicaDescription = "replica of orders";

deployCase(
  "ReplicaKey whose keyId and keyName come from another replica",
  () => async () => {
    const { ReplicaKey } = keylink();
    const first = new ReplicaKey("first", {
      keyringName: "orders",
      keyName: "mrk-orders",
      primaryRegion: "cn-beijing",
      replicaRegion: "cn-shanghai",
      description: replicaDescription,
    });
    // A replica has its primary's ID and names.
    const byId = new ReplicaKey("by-id", {
      keyId: first.replicaKeyId,
      primaryRegion: "cn-beijing",
      replicaRegion: "cn-guangzhou",
    });
    const byName = new ReplicaKey("by-name", {
      keyringName: "orders",
      keyName: first.trn.apply((trn) => trn.split("/").pop() as string),
      primaryRegion: "cn-beijing",
      replicaRegion: "cn-hongkong",
    });
    return { byId: byId.replicaKeyId, byName: byName.replicaKeyId };
  },
  {
    title:
      "an update of the upstream replica makes keyId unknown again: no replacement, a warning in every mode",
    run: async (e2e) => {
      // The first replica is updated: its outputs are unknown again at preview. The others are not replaced,
      // and the deferred check is a Pulumi warning in the --json preview.
      replicaDescription = "replica of orders, updated";
      const json = await cliWithProgram(e2e, e2e.stack.workspace.program as Program, ["preview", "--json"]);
      expect(json.code).toBe(0);
      expect(json.stdout).not.toMatch(/"op":\s*"(replace|create-replacement)"/);
      expect(jsonWarnings(json.stdout).join("\n")).toMatch(
        /keyId not known until another resource is deployed/,
      );
      const preview = await e2e.stack.preview({ diff: true, onOutput: e2e.onOutput });
      expect(preview.changeSummary.replace ?? 0).toBe(0);
      expect(`${preview.stdout}\n${preview.stderr}`).toMatch(
        /warning: ReplicaKey cn-guangzhou:\S+: keyId not known/,
      );
      const up = await e2e.stack.up({ onOutput: e2e.onOutput });
      expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
      expect(up.summary.resourceChanges?.replace ?? 0).toBe(0);
      await e2e.stack.preview({ expectNoChanges: true, onOutput: e2e.onOutput });
    },
  },
);

deployCase("Cmk whose alias and description come from another key", () => async () => {
  const { Cmk } = keylink();
  const base = new Cmk("base", { region: "ap-guangzhou", alias: "base-key" });
  const derived = new Cmk("derived", {
    region: "ap-guangzhou",
    alias: base.keyId.apply((id) => `derived-${id.replace(/[^A-Za-z0-9]/g, "").slice(0, 8)}`),
    description: pulumi.interpolate`wraps the data keys of ${base.keyId}`,
  });
  return { derived: derived.alias };
});

const CKN1 = "1F".repeat(32);
const CKN2 = "2E".repeat(32);
const CAK1 = "A1".repeat(32);
const CAK2 = "B2".repeat(32);

deployCase(
  "MacsecKeyAssociation on a connection and with a CAK known once another key set is associated",
  () => async () => {
    const { MacsecKeyAssociation } = keylink();
    const first = new MacsecKeyAssociation("first", {
      region: HANGZHOU,
      physicalConnectionId: "pc-demo0001",
      cipherSuite: "GCM-AES-XPN-256",
      ckn: CKN1,
      cak: CAK1,
    });
    const standby = new MacsecKeyAssociation("standby", {
      region: HANGZHOU,
      physicalConnectionId: once(first.status, "pc-demo0001"),
      cipherSuite: "GCM-AES-XPN-256",
      ckn: CKN2,
      cak: pulumi.secret(once(first.status, CAK2)),
      active: false,
    });
    return { standby: standby.status };
  },
  { title: "shows no CAK in any output", run: async (e2e) => expectNoSecrets(e2e.output, [CAK1, CAK2]) },
);

const PSK = "psk-from-output-4Tq9";

deployCase(
  "VpnConnectionConfig whose connection and PSK come from other outputs",
  () => async () => {
    const { Cmk, VpnConnectionConfig } = keylink();
    const key = new Cmk("psk-key", { region: "ap-guangzhou", alias: "vpn-psk-key" });
    new VpnConnectionConfig("branch", {
      region: HANGZHOU,
      vpnConnectionId: once(key.keyState, "vco-demo0001"),
      ikeConfig: { psk: pulumi.secret(once(key.keyId, PSK)), ikeVersion: "ikev2" },
    });
    return {};
  },
  { title: "shows no PSK in any output", run: async (e2e) => expectNoSecrets(e2e.output, [PSK]) },
);

const MATERIAL = Buffer.alloc(32, 7).toString("base64");

deployCase("ImportedKeyMaterial for a key known once another import is done", () => async () => {
  const { ImportedKeyMaterial } = keylink();
  const first = new ImportedKeyMaterial("first", {
    region: HANGZHOU,
    keyId: "key-byok-demo-0001",
    keyMaterial: Buffer.alloc(32, 3).toString("base64"),
  });
  new ImportedKeyMaterial("second", {
    region: HANGZHOU,
    keyId: once(first.keyState, "key-byok-later-0002"),
    keyMaterial: MATERIAL,
  });
  return {};
});
