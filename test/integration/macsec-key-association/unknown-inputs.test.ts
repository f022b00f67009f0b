// MacsecKeyAssociation check and diff with inputs not known at preview (Pulumi's placeholder), against the
// emulator (demo fixtures: connection pc-demo0001 in cn-hangzhou).
import { UNKNOWN } from "../../../src/resources/common/check";
import * as provider from "../../../src/resources/macsec-key-association/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const CKN = "5E".repeat(16);
const CAK = "C0FFEE00C0FFEE00C0FFEE00C0FFEE77";
const args = (over: Record<string, unknown> = {}) => ({
  region: "cn-hangzhou",
  physicalConnectionId: "pc-demo0001",
  cipherSuite: "GCM-AES-128",
  ckn: CKN,
  cak: CAK,
  ...over,
});

describe("MacsecKeyAssociation with inputs not known at preview", () => {
  it("a create on a connection not known yet passes check without a cloud call, and warns", async () => {
    const r = await provider.check({}, args({ physicalConnectionId: UNKNOWN, cak: UNKNOWN }));
    expect(r.failures ?? []).toEqual([]);
    expect(await h.calls()).toEqual([]);
    expect(h.warnings.join("\n")).toContain(
      "physicalConnectionId not known until another resource is deployed",
    );
  });

  it("up's check, with the connection known, judges it before any write", async () => {
    const r = await provider.check({}, args({ physicalConnectionId: "pc-nosuch" }));
    expect(r.failures?.map((f) => f.property)).toEqual(["physicalConnectionId"]);
    expect((await h.calls()).filter((a) => !a.startsWith("Describe"))).toEqual([]);
  });

  it("an existing key set whose connection or CAK is not known yet shows a replacement, as any change of them is", async () => {
    const checked = await provider.check({}, args());
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const inputs = checked.inputs as Record<string, unknown>;
    const d = await provider.diff(created.id, created.outs as Record<string, unknown>, {
      ...inputs,
      cak: UNKNOWN,
    });
    expect(d).toMatchObject({ changes: true, replaces: ["cak"] });
    const same = await provider.diff(created.id, created.outs as Record<string, unknown>, inputs);
    expect(same).toMatchObject({ changes: false, replaces: [] });
  });
});
