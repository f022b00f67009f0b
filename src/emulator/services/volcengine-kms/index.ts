import { z } from "zod";
import { DEFAULT_ACCOUNT } from "../../accounts";
import type { ServiceContext, ServiceModel, WireProtocol } from "../../types";
import { KEY_SPECS, KEY_STATES, KEY_USAGES, VolcengineKmsStore } from "./model";
import { routes } from "./routes";

/** Account that fixtures belong to unless they name one: the emulator's built-in `test` access key's account. */
export const FIXTURE_ACCOUNT = DEFAULT_ACCOUNT.account;

const NAME = /^[a-zA-Z0-9_-]{2,31}$/;

const fixturesSchema = z.strictObject({
  /** Replaces the regions a replica may be created in. */
  regions: z.array(z.string().min(1)).min(1).optional(),
  keyrings: z
    .array(
      z.strictObject({
        account: z.string().min(1).optional(),
        region: z.string().min(1),
        name: z.string().regex(NAME, "2 to 31 characters of [a-zA-Z0-9-_]"),
        description: z.string().optional(),
      }),
    )
    .default([]),
  keys: z
    .array(
      z.strictObject({
        account: z.string().min(1).optional(),
        region: z.string().min(1),
        keyringName: z.string().regex(NAME, "2 to 31 characters of [a-zA-Z0-9-_]"),
        keyName: z.string().regex(NAME, "2 to 31 characters of [a-zA-Z0-9-_]"),
        id: z.string().min(1).optional(),
        multiRegion: z.boolean().default(false),
        keyState: z.enum(KEY_STATES).default("Enable"),
        description: z.string().default(""),
        keySpec: z.enum(KEY_SPECS).optional(),
        keyUsage: z.enum(KEY_USAGES).optional(),
      }),
    )
    .default([]),
});

function fixtureStep(where: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    throw new Error(`volcengineKms.${where}: ${(e as Error).message}`);
  }
}

export function createModel(): ServiceModel {
  const store = new VolcengineKmsStore();
  const handlers = routes(store);

  function loadFixtures(fixtures: unknown, ctx: ServiceContext): void {
    const parsed = fixturesSchema.safeParse(fixtures ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      throw new Error(`volcengineKms${path}: ${issue.message}`);
    }
    const f = parsed.data;
    if (f.regions) store.setRegions(f.regions);
    const checkRegion = (region: string, where: string): void => {
      if (!store.regions.includes(region)) {
        throw new Error(
          `volcengineKms.${where}.region: '${region}' is not one of ${store.regions.join(", ")}`,
        );
      }
    };
    f.keyrings.forEach((r, i) => {
      checkRegion(r.region, `keyrings[${i}]`);
      fixtureStep(`keyrings[${i}]`, () =>
        store.createKeyring(
          { account: r.account ?? FIXTURE_ACCOUNT, region: r.region },
          { keyringName: r.name, description: r.description },
          ctx,
        ),
      );
    });
    f.keys.forEach((k, i) => {
      checkRegion(k.region, `keys[${i}]`);
      const scope = { account: k.account ?? FIXTURE_ACCOUNT, region: k.region };
      // A key's keyring is created with it when the fixtures do not list it.
      store.ensureKeyring(scope, k.keyringName, ctx);
      fixtureStep(`keys[${i}]`, () =>
        store.createKey(
          scope,
          {
            keyringName: k.keyringName,
            keyName: k.keyName,
            id: k.id,
            multiRegion: k.multiRegion,
            keyState: k.keyState,
            description: k.description,
            keySpec: k.keySpec,
            keyUsage: k.keyUsage,
          },
          ctx,
        ),
      );
    });
  }

  return {
    key: "volcengineKms",
    cloud: "volcengine",
    service: "kms",
    protocols: ["volcengine"],
    versions: ["2021-02-18"],
    actions: (protocol: WireProtocol) => (protocol === "volcengine" ? handlers : {}),
    loadFixtures,
    toJSON: () => store.toJSON(),
    fromJSON: (state: unknown) => store.fromJSON(state),
    reset: () => store.reset(),
    inventory: (ctx: ServiceContext) => store.inventory(ctx),
  };
}
