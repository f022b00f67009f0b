import { z } from "zod";
import { KEY_SPECS, KEY_STATES, KEY_USAGES, NAME_PATTERN } from "../../../clouds/facts/volcengine-kms";
import { DEFAULT_ACCOUNT } from "../../accounts";
import { parseFixtures } from "../../fixtures";
import type { ServiceContext } from "../../types";
import type { VolcengineKmsStore } from "./model";

// Fixtures of the Volcengine KMS model: regions, keyrings and keys as they exist before a test or demo starts,
// checked with messages that name the field (volcengineKms.keys[0].keyName: ...).

/** Account that fixtures belong to unless they name one: the emulator's built-in `test` access key's account. */
export const FIXTURE_ACCOUNT = DEFAULT_ACCOUNT.account;

const fixturesSchema = z.strictObject({
  /** Replaces the regions a replica may be created in. */
  regions: z.array(z.string().min(1)).min(1).optional(),
  keyrings: z
    .array(
      z.strictObject({
        account: z.string().min(1).optional(),
        region: z.string().min(1),
        name: z.string().regex(NAME_PATTERN, "2 to 31 characters of [a-zA-Z0-9-_]"),
        description: z.string().optional(),
      }),
    )
    .default([]),
  keys: z
    .array(
      z.strictObject({
        account: z.string().min(1).optional(),
        region: z.string().min(1),
        keyringName: z.string().regex(NAME_PATTERN, "2 to 31 characters of [a-zA-Z0-9-_]"),
        keyName: z.string().regex(NAME_PATTERN, "2 to 31 characters of [a-zA-Z0-9-_]"),
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

/** Adds the fixtures (the value under `volcengineKms`) to the store. */
export function loadFixtures(store: VolcengineKmsStore, fixtures: unknown, ctx: ServiceContext): void {
  const f = parseFixtures(fixturesSchema, "volcengineKms", fixtures);
  if (f.regions) store.setRegions(f.regions);
  const checkRegion = (region: string, where: string): void => {
    if (!store.regions.includes(region)) {
      throw new Error(`volcengineKms.${where}.region: '${region}' is not one of ${store.regions.join(", ")}`);
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
