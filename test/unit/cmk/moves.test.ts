import {
  forgetDeployment,
  judgeClaim,
  memory,
  openClaim,
  parsePeers,
  recordPlan,
  settleOpenClaims,
  transitAlias,
  uncheckedPeers,
} from "../../../src/resources/cmk/moves";
import type { LiveKey } from "../../../src/resources/cmk/cloud";

const R = "ap-guangzhou";
const key = (KeyId: string, Alias: string): LiveKey => ({
  KeyId,
  Alias,
  Description: "",
  KeyState: "Enabled",
  KeyUsage: "ENCRYPT_DECRYPT",
  Origin: "TENCENT_KMS",
  CreateTime: 0,
});
const peers = (name: string) => ({ batch: "b1", name, names: ["x", "y"] });

beforeEach(() => forgetDeployment());

describe("alias claims within one deployment", () => {
  it("waits for unchecked peers, then allows an alias that a peer gives up", () => {
    const m = memory();
    recordPlan(m, { name: "x", old: { region: R, alias: "a" }, region: R, alias: "b" }, peers("x"));
    expect(uncheckedPeers(m, "b1")).toEqual(["y"]);
    expect(judgeClaim(m, "x", R, "b", key("ky", "b"), "b1")).toEqual({ ok: "later" });
    openClaim(m, { claimant: "x", region: R, alias: "b", holder: key("ky", "b"), batch: "b1" });
    recordPlan(m, { name: "y", old: { region: R, alias: "b" }, region: R, alias: "a" }, peers("y"));
    expect(settleOpenClaims(m)).toEqual([]);
    expect(judgeClaim(m, "y", R, "a", key("kx", "a"), "b1")).toEqual({ ok: true });
  });

  it("fails a claim on an alias a peer keeps, without advising adoptKeyId", () => {
    const m = memory();
    recordPlan(m, { name: "y", region: R, alias: "a" }, peers("y"));
    openClaim(m, { claimant: "y", region: R, alias: "a", holder: key("kx", "a"), batch: "b1" });
    recordPlan(m, { name: "x", old: { region: R, alias: "a" }, region: R, alias: "a" }, peers("x"));
    const failures = settleOpenClaims(m);
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toMatch(
      /^Cmk 'y': alias: 'a' is held by CMK kx in ap-guangzhou, which Cmk 'x'/,
    );
    expect(failures[0].reason).not.toContain("adoptKeyId");
  });

  it("fails a claim on a key outside the stack once every peer is checked, advising adoptKeyId", () => {
    const m = memory();
    recordPlan(m, { name: "x", region: R, alias: "a" }, peers("x"));
    recordPlan(m, { name: "y", region: R, alias: "c" }, peers("y"));
    const v = judgeClaim(m, "x", R, "a", key("foreign", "a"), "b1");
    expect(v.ok).toBe(false);
    expect(v.ok === false && v.failure.reason).toContain('adoptKeyId: "foreign"');
  });

  it("does not advise adoptKeyId for a key the stack's resources hold", () => {
    const m = memory();
    m.managed.add("kx");
    const v = judgeClaim(m, "y", R, "a", key("kx", "a"), undefined);
    expect(v.ok === false && v.failure.reason).toContain("a Cmk of this stack manages");
    expect(v.ok === false && v.failure.reason).not.toContain("adoptKeyId");
  });

  it("an alias in another region is another alias", () => {
    const m = memory();
    recordPlan(
      m,
      { name: "x", old: { region: "ap-shanghai", alias: "a" }, region: "ap-shanghai", alias: "z" },
      undefined,
    );
    expect(judgeClaim(m, "y", R, "a", key("k", "a"), undefined).ok).toBe(false);
  });

  it("reads the peers the Cmk class sends, and nothing else", () => {
    expect(parsePeers({ batch: "b", name: "n", names: ["n", 3] })).toEqual({
      batch: "b",
      name: "n",
      names: ["n"],
    });
    expect(parsePeers("04da6b54-80e4-46f7-96ec-b56ff0331ba9")).toBeUndefined();
    expect(parsePeers(undefined)).toBeUndefined();
  });

  it("moves a key through a temporary alias valid for API 3.0", () => {
    const t = transitAlias("b6b5e1a4-3c8e-11ee-9f8a-525400cc2c1b");
    expect(t).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
    expect(t.length).toBeLessThanOrEqual(60);
    expect(t.startsWith("kms-")).toBe(false);
  });
});

describe("alias claims and replacements", () => {
  it("an alias given up by a replacement stays held until the old key is deleted, at the end", () => {
    const m = memory();
    recordPlan(
      m,
      { name: "x", old: { region: R, alias: "a" }, region: R, alias: "b", replaced: true },
      undefined,
    );
    const v = judgeClaim(m, "y", R, "a", key("kx", "a"), undefined);
    expect(v.ok).toBe(false);
    expect(v.ok === false && v.failure.reason).toContain("which Cmk 'x' of this stack replaces");
    expect(v.ok === false && v.failure.reason).not.toContain("adoptKeyId");
  });
});
