// The drift report's pure part on hand-made engine events: the edge cases that a real run rarely shows (secrets
// in either serialized form, paths with quotes and indexes, a replace verdict without a detailed diff, an
// incomplete event stream). Real, captured event logs are in report-captured.test.ts.
import type { EngineEvent } from "../../../src/drift/events";
import { parseEventLog } from "../../../src/drift/events";
import { renderJson, renderMarkdown, renderText } from "../../../src/drift/render";
import { exitCodeOf, parsePath, parseUrn, reportFromEvents, shortType } from "../../../src/drift/report";

const TYPE = "pulumi-nodejs:dynamic/keylink:VpnConnectionConfig";
const URN = `urn:pulumi:prod::infra::${TYPE}::branch`;
const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

function refresh(
  urn: string,
  op: string,
  old: Record<string, unknown>,
  live: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): EngineEvent[] {
  const type = urn.split("::")[2];
  const state = (props: Record<string, unknown>) => ({
    type,
    urn,
    id: "cn-hangzhou:vco-1",
    custom: true,
    ...props,
  });
  return [
    { resourcePreEvent: { metadata: { op: "refresh", urn, type, old: state(old), new: state(old) } } },
    {
      resOutputsEvent: {
        metadata: { op, urn, type, old: state(old), new: op === "delete" ? null : state(live), ...extra },
      },
    },
  ];
}

const summary: EngineEvent = { summaryEvent: { resourceChanges: {} } };

describe("property paths", () => {
  it("parses dots, indexes and quoted keys", () => {
    expect(parsePath("ikeConfig.ikeLifetime")).toEqual(["ikeConfig", "ikeLifetime"]);
    expect(parsePath("tunnels[1].psk")).toEqual(["tunnels", 1, "psk"]);
    expect(parsePath('tags["a.b"].c')).toEqual(["tags", "a.b", "c"]);
    expect(parsePath('["q\\"x"]')).toEqual(['q"x']);
  });

  it("reads stack, project and name from a URN, and shortens keylink types", () => {
    expect(parseUrn(URN)).toEqual({ stack: "prod", project: "infra", name: "branch" });
    expect(shortType(TYPE)).toBe("VpnConnectionConfig");
    expect(shortType("aws:s3/bucket:Bucket")).toBe("aws:s3/bucket:Bucket");
  });
});

describe("reportFromEvents", () => {
  it("lists each differing field once, outputs first, with its kind", () => {
    const events = [
      ...refresh(
        URN,
        "update",
        {
          inputs: { ikeConfig: { ikeLifetime: 28800 }, gone: 1 },
          outputs: { ikeConfig: { ikeLifetime: 28800 }, gone: 1 },
        },
        {
          inputs: { ikeConfig: { ikeLifetime: 7200 } },
          outputs: { ikeConfig: { ikeLifetime: 7200 }, extra: "x" },
        },
        { detailedDiff: { "ikeConfig.ikeLifetime": { diffKind: "update", inputDiff: true } } },
      ),
      summary,
    ];
    const report = reportFromEvents(events);
    expect(report).toMatchObject({ stack: "prod", project: "infra", checked: 1, errors: [] });
    expect(report.resources).toEqual([
      {
        urn: URN,
        type: "VpnConnectionConfig",
        name: "branch",
        id: "cn-hangzhou:vco-1",
        status: "changed",
        fields: [
          { path: "ikeConfig.ikeLifetime", kind: "changed", old: 28800, live: 7200, secret: false },
          { path: "gone", kind: "removed", old: 1, secret: false },
          { path: "extra", kind: "added", live: "x", secret: false },
        ],
      },
    ]);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("masks a field that is secret on either side, in both serialized forms, and finds secret drift only through the engine's diff", () => {
    const old = {
      inputs: { psk: { ...SIG, ciphertext: "[secret]" }, note: "a" },
      outputs: { psk: "[secret]", note: "a" },
    };
    const live = {
      inputs: { psk: { ...SIG, plaintext: '"leaked?"' }, note: "plain" },
      outputs: { psk: "[secret]", note: "plain" },
    };
    const noEngineDiff = reportFromEvents([...refresh(URN, "update", old, live), summary]);
    expect(noEngineDiff.resources[0].fields.map((f) => f.path)).toEqual(["note"]);
    const withEngineDiff = reportFromEvents([
      ...refresh(URN, "update", old, live, { detailedDiff: { psk: { diffKind: "update" } } }),
      summary,
    ]);
    expect(withEngineDiff.resources[0].fields[0]).toEqual({
      path: "psk",
      kind: "changed",
      old: "[secret]",
      live: "[secret]",
      secret: true,
    });
    // A value next to a secret one under the same parent is not secret; the parent object shown whole would be.
    const nested = reportFromEvents([
      ...refresh(
        URN,
        "update",
        { outputs: { cfg: { psk: "[secret]", n: 1 } } },
        { outputs: { cfg: "plain" } },
      ),
      summary,
    ]);
    expect(nested.resources[0].fields).toEqual([
      { path: "cfg", kind: "changed", old: "[secret]", live: "[secret]", secret: true },
    ]);
    for (const text of [
      renderText(withEngineDiff),
      renderJson(withEngineDiff),
      renderMarkdown(withEngineDiff),
    ]) {
      expect(text).not.toContain("leaked?");
    }
  });

  it("falls back to the step's changed and replace keys when there is no detailed diff", () => {
    const report = reportFromEvents([
      ...refresh(
        URN,
        "update",
        { outputs: { material: "[secret]" } },
        { outputs: { material: "[secret]" } },
        {
          keys: ["material"],
        },
      ),
      summary,
    ]);
    expect(report.resources[0].fields).toEqual([
      { path: "material", kind: "changed", old: "[secret]", live: "[secret]", secret: true },
    ]);
  });

  it("never lists the dynamic provider's __provider, and reports a resource gone from the cloud", () => {
    const report = reportFromEvents([
      ...refresh(
        URN,
        "update",
        { outputs: { __provider: "a" }, inputs: {} },
        { outputs: { __provider: "b" } },
        {
          detailedDiff: { __provider: { diffKind: "update" } },
        },
      ),
      ...refresh(URN.replace("branch", "gone"), "delete", { outputs: { a: 1 } }, {}),
      summary,
    ]);
    expect(report.resources.map((r) => [r.name, r.status, r.fields])).toEqual([
      ["branch", "changed", []],
      ["gone", "deleted", []],
    ]);
    expect(renderText(report)).toContain("changed (the provider did not name the field)");
    expect(renderText(report)).toContain("deleted in the cloud");
  });

  it("ignores the stack, providers and resources the refresh found unchanged", () => {
    const report = reportFromEvents([
      ...refresh("urn:pulumi:prod::infra::pulumi:pulumi:Stack::infra-prod", "same", {}, {}),
      ...refresh("urn:pulumi:prod::infra::pulumi:providers:pulumi-nodejs::default", "same", {}, {}),
      ...refresh(URN, "same", { outputs: { a: 1 } }, { outputs: { a: 2 } }),
      summary,
    ]);
    expect(report).toMatchObject({ checked: 1, resources: [], errors: [] });
    expect(exitCodeOf(report)).toBe(0);
  });

  it("reports errors from the engine's diagnostics, else the CLI's failure, else a missing summary", () => {
    const diag: EngineEvent = {
      diagnosticEvent: { urn: URN, message: "<{%fg 1%}>connection refused<{%reset%}>\n", severity: "error" },
    };
    const withDiag = reportFromEvents([...refresh(URN, "refresh", {}, {}).slice(0, 1), diag], {
      cliFailed: "pulumi failed",
    });
    expect(withDiag.errors).toEqual(["VpnConnectionConfig branch: connection refused"]);
    expect(exitCodeOf(withDiag)).toBe(2);
    const failedStep: EngineEvent = {
      resOpFailedEvent: { metadata: { op: "refresh", urn: URN, type: TYPE } },
    };
    expect(reportFromEvents([...refresh(URN, "refresh", {}, {}).slice(0, 1), failedStep]).errors).toEqual([
      "VpnConnectionConfig branch: the cloud could not be read",
    ]);
    expect(reportFromEvents([], { cliFailed: "no stack named 'x'" }).errors).toEqual(["no stack named 'x'"]);
    expect(reportFromEvents([]).errors[0]).toMatch(/no summary event/);
  });
});

describe("parseEventLog", () => {
  it("reads JSON lines and skips what is not an event", () => {
    const log = [
      JSON.stringify({ sequence: 1, summaryEvent: { resourceChanges: { same: 2 } } }),
      "{trunc",
      "",
    ].join("\n");
    expect(parseEventLog(log)).toEqual([{ sequence: 1, summaryEvent: { resourceChanges: { same: 2 } } }]);
  });
});

describe("rendering", () => {
  const report = reportFromEvents([
    ...refresh(URN, "update", { outputs: { d: "a|b", t: "x`y" } }, { outputs: { d: "c", t: "z" } }),
    summary,
  ]);

  it("escapes table cells in Markdown", () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| `branch` | VpnConnectionConfig | `d` | `"a\\|b"` | `"c"` |');
    expect(md).toContain('| `branch` | VpnConnectionConfig | `t` | `` "x`y" `` | `"z"` |');
  });

  it("cuts long values in text and keeps them whole in JSON", () => {
    const long = "v".repeat(300);
    const r = reportFromEvents([
      ...refresh(URN, "update", { outputs: { d: long } }, { outputs: { d: "" } }),
      summary,
    ]);
    expect(renderText(r)).toContain(`d: "${"v".repeat(118)}… → ""`);
    expect(JSON.parse(renderJson(r)).resources[0].fields[0].old).toBe(long);
  });

  it("says what was checked when there is no drift, and why not when the check failed", () => {
    const clean = reportFromEvents([...refresh(URN, "same", {}, {}), summary]);
    expect(renderText(clean)).toBe("No drift in stack prod: 1 resource matches the cloud.\n");
    const failed = reportFromEvents([], { cliFailed: "pulumi: command not found" });
    expect(renderText(failed)).toBe(
      "Drift check of the stack could not be completed:\n  pulumi: command not found\n",
    );
    expect(renderMarkdown(failed)).toContain("- pulumi: command not found");
    expect(JSON.parse(renderJson(failed))).toMatchObject({
      status: "not-checked",
      errors: ["pulumi: command not found"],
    });
  });
});
