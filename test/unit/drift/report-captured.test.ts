// The drift report on event logs captured from real runs of `pulumi refresh --preview-only --event-log` (Pulumi
// CLI 3.259) on the demo stack in test/e2e/drift.e2e.test.ts. The dynamic provider's serialized code
// (`__provider`, ~2 KB per state) was cut from the captures; nothing else was changed.
//   no-drift.jsonl     right after `pulumi up`
//   drift.jsonl        after changes by hand: Cmk and ReplicaKey descriptions, a VPN IKE lifetime, the other
//                      connection's PSK, the MACsec key disassociated, the imported key material deleted
//   unreachable.jsonl  with the emulator stopped
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEventLog } from "../../../src/drift/events";
import { renderJson, renderMarkdown, renderText } from "../../../src/drift/render";
import { exitCodeOf, reportFromEvents } from "../../../src/drift/report";

function captured(name: string) {
  return reportFromEvents(
    parseEventLog(fs.readFileSync(path.join(__dirname, "captured", `${name}.jsonl`), "utf8")),
  );
}

describe("captured refreshes of the demo stack", () => {
  it("right after up: no drift in the six resources, exit 0", () => {
    const report = captured("no-drift");
    expect(report).toEqual({ stack: "e2e", project: "keylink-demo", checked: 6, resources: [], errors: [] });
    expect(exitCodeOf(report)).toBe(0);
  });

  it("after changes by hand: every changed resource with its fields, old → live, the PSK as a secret", () => {
    const report = captured("drift");
    expect(exitCodeOf(report)).toBe(1);
    const fields = Object.fromEntries(
      report.resources.map((r) => [
        `${r.type} ${r.name}`,
        r.fields.map((f) => [f.path, f.old, f.live, f.secret]),
      ]),
    );
    expect(fields).toEqual({
      "Cmk app-data-key": [["description", "Encrypts application data", "changed by hand", false]],
      "ImportedKeyMaterial byok-material": [["keyState", "Enabled", "PendingImport", false]],
      "MacsecKeyAssociation dc1-uplink-key": [
        ["active", true, false, false],
        ["activeCkn", "2FED2AD6E94578A65CF848CBC8C86A9E907AEA1A8E31DDF5EBAA1BA474544CA7", "", false],
        ["status", "Associated", "Disassociated", false],
      ],
      "ReplicaKey orders-replica": [
        ["description", "Orders key, Shanghai replica", "replica changed by hand", false],
        ["updateDate", 1796137089680, 1796137113247, false],
      ],
      "VpnConnectionConfig branch-1-ipsec": [
        ["ikeConfig.ikeLifetime", 28800, 7200, false],
        ["liveSettings.ikeConfig.ikeLifetime", 28800, 7200, false],
      ],
      // Only the engine's detailed diff, computed on the real values, sees that the PSK changed.
      "VpnConnectionConfig branch-2-ipsec": [["presharedKeys", "[secret]", "[secret]", true]],
    });
    expect(report.resources.map((r) => r.name)).toEqual([
      "app-data-key",
      "byok-material",
      "dc1-uplink-key",
      "orders-replica",
      "branch-1-ipsec",
      "branch-2-ipsec",
    ]);
    const text = renderText(report);
    expect(text).toContain(
      "VpnConnectionConfig branch-2-ipsec (cn-hangzhou:vco-demo0002)\n" +
        '  presharedKeys: "[secret]" → "[secret]" (secret, changed)\n',
    );
    expect(renderMarkdown(report)).toContain(
      '| `branch-2-ipsec` | VpnConnectionConfig | `presharedKeys` | `"[secret]"` | `"[secret]" (changed)` |',
    );
    for (const out of [text, renderJson(report), renderMarkdown(report)])
      expect(out).not.toContain("__provider");
  });

  it("with the cloud unreachable: exit 2, each resource's error, without the engine's bare 'preview failed'", () => {
    const report = captured("unreachable");
    expect(exitCodeOf(report)).toBe(2);
    expect(report.resources).toEqual([]);
    expect(report.errors).toHaveLength(6);
    expect(report.errors[0]).toMatch(
      /^Cmk app-data-key: Preview failed: Tencent Cloud DescribeKey failed with ECONNREFUSED: .*Nothing answers at http:\/\/127\.0\.0\.1:\d+\./,
    );
    expect(report.errors.every((e) => e.includes("ECONNREFUSED"))).toBe(true);
  });
});
