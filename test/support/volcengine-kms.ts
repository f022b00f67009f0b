// Volcengine KMS objects shared by the model's unit tests and the ReplicaKey integration tests: a multi-region
// primary, a single-region key and a disabled multi-region key in cn-beijing.

export const PRIMARY_ID = "39a0e7c6-b7dd-4c83-b400-3449bb95403a";
export const SINGLE_ID = "0b8a2f0e-2a4c-4d57-9c3e-6d1f3e2b9a10";
export const DISABLED_ID = "7d3c1a52-58f4-4c1e-a0f2-1b2c3d4e5f60";

/** The `volcengineKms` fixtures section. */
export const PRIMARY_KEYS = {
  keyrings: [{ region: "cn-beijing", name: "test" }],
  keys: [
    { region: "cn-beijing", keyringName: "test", keyName: "mrk-test", id: PRIMARY_ID, multiRegion: true },
    { region: "cn-beijing", keyringName: "test", keyName: "single", id: SINGLE_ID },
    {
      region: "cn-beijing",
      keyringName: "test",
      keyName: "mrk-off",
      id: DISABLED_ID,
      multiRegion: true,
      keyState: "Disable",
    },
  ],
};
