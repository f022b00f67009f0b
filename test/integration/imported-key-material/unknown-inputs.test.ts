// ImportedKeyMaterial check and diff with inputs not known at preview (Pulumi's placeholder), against the
// emulator (demo fixtures: EXTERNAL key key-byok-demo-0001 in cn-hangzhou).
import { randomBytes } from "node:crypto";
import { UNKNOWN } from "../../../src/resources/common/check";
import * as provider from "../../../src/resources/imported-key-material/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const material = randomBytes(32).toString("base64");
const args = (over: Record<string, unknown> = {}) => ({
  region: "cn-hangzhou",
  keyId: "key-byok-demo-0001",
  keyMaterial: material,
  ...over,
});

describe("ImportedKeyMaterial with inputs not known at preview", () => {
  it("a create for a key not known yet passes check without a cloud call, and warns", async () => {
    const r = await provider.check({}, args({ keyId: UNKNOWN }));
    expect(r.failures ?? []).toEqual([]);
    expect(await h.calls()).toEqual([]);
    expect(h.warnings.join("\n")).toContain("keyId not known until another resource is deployed");
  });

  it("up's check, with the key known, judges it before any write", async () => {
    const r = await provider.check({}, args({ keyId: "key-nosuch" }));
    expect(r.failures?.map((f) => f.property)).toEqual(["keyId"]);
    expect(await h.calls()).toEqual(["DescribeKey"]);
  });

  it("material not known yet is neither refused nor a replacement; a key not known yet may be another key", async () => {
    const checked = await provider.check({}, args());
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const outs = created.outs as Record<string, unknown>;
    const inputs = checked.inputs as Record<string, unknown>;
    const previewed = await provider.check(inputs, { ...inputs, keyMaterial: UNKNOWN });
    expect(previewed.failures ?? []).toEqual([]);
    expect(await provider.diff(created.id, outs, { ...inputs, keyMaterial: UNKNOWN })).toMatchObject({
      replaces: [],
    });
    expect((await provider.diff(created.id, outs, { ...inputs, keyId: UNKNOWN })).replaces).toEqual([
      "keyId",
    ]);
  });
});
