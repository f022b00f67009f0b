import type { ServiceContext, ServiceModel, WireProtocol } from "../../types";
import { loadFixtures, stateSchema } from "./fixtures";
import { type KmsKey, type StoredKey, TencentKmsModel, storedKey } from "./model";
import { apiActions, legacyActions } from "./routes";

export { FIXTURE_ACCOUNT } from "./fixtures";

export function createModel(): ServiceModel {
  const model = new TencentKmsModel();
  const api = apiActions(model);
  const legacy = legacyActions(model);

  return {
    key: "tencentKms",
    cloud: "tencent",
    service: "kms",
    protocols: ["tencent-tc3", "tencent-legacy"],
    versions: ["2019-01-18"],
    actions: (protocol: WireProtocol) =>
      protocol === "tencent-tc3" ? api : protocol === "tencent-legacy" ? legacy : {},
    loadFixtures: (fixtures: unknown, ctx: ServiceContext) => loadFixtures(model, fixtures, ctx),
    toJSON: () => ({ quota: model.quota, algorithms: model.algorithms, keys: model.stored() }),
    fromJSON: (state: unknown) => {
      const s = stateSchema.parse(state);
      model.reset();
      model.quota = s.quota;
      if (s.algorithms) model.algorithms = s.algorithms;
      // State files of earlier versions hold KeyState and DeletionDate instead of the managed State.
      for (const k of s.keys)
        model.put("State" in k ? (k as unknown as StoredKey) : storedKey(k as unknown as KmsKey));
    },
    reset: () => model.reset(),
    inventory: (ctx: ServiceContext) => {
      if (model.purge(ctx.now())) ctx.changed();
      const keys = model.all();
      const perScope: Record<string, number> = {};
      for (const k of keys)
        perScope[`${k.Account}/${k.Region}`] = (perScope[`${k.Account}/${k.Region}`] ?? 0) + 1;
      return {
        quota: model.quota,
        cmkCount: perScope,
        keys: keys.map((k) => ({
          account: k.Account,
          region: k.Region,
          keyId: k.KeyId,
          alias: k.Alias,
          description: k.Description,
          keyState: k.KeyState,
          keyUsage: k.KeyUsage,
          origin: k.Origin,
          createdWith: k.CreatedWith,
          ...(k.LegacyType !== undefined ? { legacyType: k.LegacyType === 2 ? "quantum" : "normal" } : {}),
          createTime: k.CreateTime,
          deletionDate: k.DeletionDate,
        })),
      };
    },
  };
}
