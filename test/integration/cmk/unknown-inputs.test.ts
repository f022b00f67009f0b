// Cmk check and diff with inputs not known at preview (Pulumi's placeholder), against the emulator.
import { tencentClient } from "../../../src/clouds/tencent";
import { UNKNOWN } from "../../../src/resources/common/check";
import { forgetDeployment } from "../../../src/resources/cmk/moves";
import * as provider from "../../../src/resources/cmk/provider";
import { previewHarness } from "../preview-support";

const h = previewHarness();
const REGION = "ap-guangzhou";
beforeEach(() => forgetDeployment());

describe("Cmk with inputs not known at preview", () => {
  it("a create with an unknown alias passes check without a cloud call, and warns that up checks it", async () => {
    const r = await provider.check({}, { region: REGION, alias: UNKNOWN, description: UNKNOWN });
    expect(r.failures ?? []).toEqual([]);
    expect(await h.calls()).toEqual([]);
    expect(h.warnings.join("\n")).toContain("alias not known until another resource is deployed");
  });

  it("up's check, with the alias known, finds it taken before any write", async () => {
    const other = await tencentClient(REGION).call<{ KeyId: string }>("CreateKey", { Alias: "taken" });
    await h.emulator.admin.clearRequests();
    const r = await provider.check({}, { region: REGION, alias: "taken" });
    expect(r.failures?.[0].reason).toContain(`'taken' is already used by CMK ${other.KeyId}`);
    expect((await h.calls()).filter((a) => !/^(List|Describe|Get)/.test(a))).toEqual([]);
  });

  it("an existing key with an unknown alias or description is updated in place, not replaced", async () => {
    const checked = await provider.check({}, { region: REGION, alias: "app", description: "d" });
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const inputs = checked.inputs as Record<string, unknown>;
    for (const change of [{ alias: UNKNOWN }, { description: UNKNOWN }]) {
      const previewed = await provider.check(inputs, { ...inputs, ...change });
      expect(previewed.failures ?? []).toEqual([]);
      const d = await provider.diff(created.id, created.outs, previewed.inputs as Record<string, unknown>);
      expect(d).toMatchObject({ changes: true, replaces: [] });
    }
    // keyUsage can never change on a key: any value, known or not, may be a new key.
    const d = await provider.diff(created.id, created.outs, { ...inputs, keyUsage: UNKNOWN });
    expect(d.replaces).toEqual(["keyUsage"]);
  });
});
