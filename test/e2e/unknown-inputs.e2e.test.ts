// Inputs fed by another resource's output, which Pulumi does not know at preview, through the real CLI: for each
// resource, `preview` then `up` (its preview included) succeed and the next preview shows no change. Each case is
// a stack of its own of the project test/e2e/projects/unknown-inputs, whose stack config (unknown:case) picks it.
import { demoFixturesOwnedBy } from "../support/fixtures";
import * as path from "node:path";
import type { ConfigValue } from "../../scripts/engine";
import { E2E, E2E_ACCOUNT, expectNoSecrets, jsonWarnings, startE2E, stopE2E } from "../support/e2e";

jest.setTimeout(600_000);

const HANGZHOU = "cn-hangzhou";

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

/** A stack of the case `name`: preview, up, then a preview that must show no change. */
function deployCase(
  title: string,
  name: string,
  config: Record<string, ConfigValue>,
  extra?: { title: string; run: (e2e: E2E) => Promise<void> },
): void {
  describe(title, () => {
    let e2e: E2E;
    beforeAll(async () => {
      e2e = await startE2E({
        example: "unknown-inputs",
        projectDir: path.join(__dirname, "projects", "unknown-inputs"),
        fixtures: fixtures(),
        config: { "unknown:case": { value: name }, ...config },
      });
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

deployCase(
  "ReplicaKey whose keyId and keyName come from another replica",
  "replica-key",
  { "unknown:replicaDescription": { value: "replica of orders" } },
  {
    title:
      "an update of the upstream replica makes keyId unknown again: no replacement, a warning in every mode",
    run: async (e2e) => {
      // The first replica is updated: its outputs are unknown again at preview. The others are not replaced,
      // and the deferred check is a Pulumi warning in the --json preview.
      await e2e.stack.setConfig("unknown:replicaDescription", { value: "replica of orders, updated" });
      const json = await e2e.stack.cli(["preview", "--json"], { onOutput: e2e.onOutput });
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

deployCase("Cmk whose alias and description come from another key", "cmk", {});

const CAK1 = "A1".repeat(32);
const CAK2 = "B2".repeat(32);

deployCase(
  "MacsecKeyAssociation on a connection and with a CAK known once another key set is associated",
  "macsec-key-association",
  {
    "unknown:cak1": { value: CAK1, secret: true },
    "unknown:cak2": { value: CAK2, secret: true },
  },
  { title: "shows no CAK in any output", run: async (e2e) => expectNoSecrets(e2e.output, [CAK1, CAK2]) },
);

const PSK = "psk-from-output-4Tq9";

deployCase(
  "VpnConnectionConfig whose connection and PSK come from other outputs",
  "vpn-connection-config",
  { "unknown:psk": { value: PSK, secret: true } },
  { title: "shows no PSK in any output", run: async (e2e) => expectNoSecrets(e2e.output, [PSK]) },
);

deployCase("ImportedKeyMaterial for a key known once another import is done", "imported-key-material", {
  "unknown:material1": { value: Buffer.alloc(32, 3).toString("base64"), secret: true },
  "unknown:material2": { value: Buffer.alloc(32, 7).toString("base64"), secret: true },
});
