import { UNKNOWN } from "../../../src/resources/common/check";
import {
  LiveConnection,
  connectionFailures,
  diffKey,
  hintFor,
  planSteps,
  quotaFailure,
  readState,
  waitFailure,
} from "../../../src/resources/macsec-key-association/rules";
import { Inputs, Outputs } from "../../../src/resources/macsec-key-association/schema";

const K1 = "1".repeat(32);
const K2 = "2".repeat(32);
const K3 = "3".repeat(32);
const K4 = "4".repeat(32);
const CAK = "A".repeat(32);

function conn(keys: Array<[string, string]> = [], extra: Partial<LiveConnection> = {}): LiveConnection {
  return {
    physicalConnectionId: "pc-1",
    productType: "PhysicalConnection",
    parentPhysicalConnectionId: "",
    status: "Enabled",
    businessStatus: "Normal",
    keys: keys.map(([ckn, status]) => ({
      ckn,
      status,
      cipherSuite: "GCM-AES-128",
      startOn: "2026-05-01T00:00:00Z",
    })),
    ...extra,
  };
}

const inputs: Inputs = {
  region: "cn-hangzhou",
  physicalConnectionId: "pc-1",
  cipherSuite: "GCM-AES-128",
  ckn: K1,
  cak: CAK,
  active: true,
};

const outputs: Outputs = { ...inputs, status: "Associated", startOn: "2026-05-01T00:00:00Z", activeCkn: K1 };

describe("connection preconditions", () => {
  test("a missing connection names the id and region", () => {
    const [f] = connectionFailures(undefined, "cn-hangzhou", "pc-9");
    expect(f.property).toBe("physicalConnectionId");
    expect(f.reason).toContain("no physical connection pc-9 in region cn-hangzhou");
  });

  test("hosted, not Enabled and not Normal each fail", () => {
    const hosted = conn([], { productType: "VirtualPhysicalConnection", parentPhysicalConnectionId: "pc-0" });
    expect(connectionFailures(hosted, "cn-hangzhou", "pc-1")[0].reason).toMatch(
      /hosted connection .*parent pc-0.*dedicated/,
    );
    expect(connectionFailures(conn([], { status: "Terminated" }), "r", "pc-1")[0].reason).toContain(
      "is Terminated",
    );
    expect(
      connectionFailures(conn([], { businessStatus: "FinancialLocked" }), "r", "pc-1")[0].reason,
    ).toContain("BusinessStatus FinancialLocked");
    expect(connectionFailures(conn(), "r", "pc-1")).toEqual([]);
  });
});

describe("at most three key sets", () => {
  test("a fourth set fails naming the connection and the stored CKNs", () => {
    const f = quotaFailure({
      conn: conn([
        [K1, "Associated"],
        [K2, "Disassociated"],
        [K3, "Disassociated"],
      ]),
      ckn: K4,
      pendingCkns: [],
    });
    expect(f?.property).toBe("ckn");
    expect(f?.reason).toContain(`pc-1 already holds 3 key set(s) (CKN ${K1}, ${K2}, ${K3})`);
    expect(f?.reason).toContain("at most 3");
  });

  test("creates already checked in this deployment count", () => {
    const c = conn([[K1, "Associated"]]);
    expect(quotaFailure({ conn: c, ckn: K2, pendingCkns: [] })).toBeUndefined();
    expect(quotaFailure({ conn: c, ckn: K3, pendingCkns: [K2] })).toBeUndefined();
    const f = quotaFailure({ conn: c, ckn: K4, pendingCkns: [K2, K3] });
    expect(f?.reason).toContain(`this deployment already adds 2 more (CKN ${K2}, ${K3})`);
  });

  test("the resource's own CKN, a stored CKN and duplicates are not counted twice", () => {
    const c = conn([
      [K1, "Associated"],
      [K2, "Disassociated"],
    ]);
    expect(quotaFailure({ conn: c, ckn: K3, pendingCkns: [K3, K3, K1] })).toBeUndefined();
    const full = conn([
      [K1, "Associated"],
      [K2, "Disassociated"],
      [K3, "Disassociated"],
    ]);
    expect(quotaFailure({ conn: full, ckn: K2, pendingCkns: [] })).toBeUndefined();
  });

  test("a replacement on the same connection frees the old set's slot", () => {
    const full = conn([
      [K1, "Associated"],
      [K2, "Disassociated"],
      [K3, "Disassociated"],
    ]);
    expect(quotaFailure({ conn: full, ckn: K4, pendingCkns: [], replacingCkn: K1 })).toBeUndefined();
  });
});

describe("diff", () => {
  test("nothing changed: no changes", () => {
    expect(diffKey(outputs, inputs)).toMatchObject({ changes: false, replaces: [], notes: [] });
  });

  test("CKN compared case-insensitively", () => {
    expect(diffKey({ ...outputs, ckn: K1.toLowerCase() }, inputs).changes).toBe(false);
  });

  test.each(["region", "physicalConnectionId", "cipherSuite", "ckn", "cak"] as const)(
    "%s change replaces",
    (f) => {
      const news = {
        ...inputs,
        [f]: f === "cipherSuite" ? "GCM-AES-XPN-128" : f === "ckn" || f === "cak" ? "F".repeat(32) : "x-1",
      };
      const d = diffKey(outputs, news as Inputs, []);
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual([f]);
    },
  );

  test("a replacement keeping region, connection and CKN deletes first (same id)", () => {
    const d = diffKey(outputs, { ...inputs, cak: "B".repeat(32) });
    expect(d.deleteBeforeReplace).toBe(true);
    expect(d.notes[0]).toContain("same CKN");
  });

  test("a new CKN on the same connection: create first, unless the connection holds three sets", () => {
    expect(diffKey(outputs, { ...inputs, ckn: K4 }, [K1, K2]).deleteBeforeReplace).toBe(false);
    const d = diffKey(outputs, { ...inputs, ckn: K4 }, [K1, K2, K3]);
    expect(d.deleteBeforeReplace).toBe(true);
    expect(d.notes[0]).toContain("holds 3 key sets");
  });

  test("a move to another connection creates first", () => {
    expect(
      diffKey(outputs, { ...inputs, physicalConnectionId: "pc-2" }, [K1, K2, K3]).deleteBeforeReplace,
    ).toBe(false);
  });

  test("an unknown replace field at preview is a replacement", () => {
    expect(diffKey(outputs, { ...inputs, cak: UNKNOWN }).replaces).toEqual(["cak"]);
  });

  test("refresh found the key Disassociated while active is true: update, naming the key that loses the role", () => {
    const d = diffKey({ ...outputs, status: "Disassociated", active: false, activeCkn: K2 }, inputs);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    expect(d.notes[0]).toContain(`key ${K2}, active now, becomes Disassociated`);
  });

  test("Disassociated with no other active key says so", () => {
    const d = diffKey({ ...outputs, status: "Disassociated", active: false, activeCkn: "" }, inputs);
    expect(d.notes[0]).toContain("no other key is active now");
  });

  test("AssociatedFailed while active: update that renegotiates", () => {
    const d = diffKey({ ...outputs, status: "AssociatedFailed" }, inputs);
    expect(d.changes).toBe(true);
    expect(d.notes[0]).toMatch(/AssociatedFailed.*renegotiate/);
  });

  test("active set to false on an Associated key: update that disassociates", () => {
    const d = diffKey(outputs, { ...inputs, active: false });
    expect(d.changes).toBe(true);
    expect(d.notes[0]).toContain("disassociates it");
  });

  test("a timeoutSeconds change is an update without cloud notes", () => {
    expect(diffKey(outputs, { ...inputs, timeoutSeconds: 30 })).toMatchObject({ changes: true, notes: [] });
  });
});

describe("steps", () => {
  test.each([
    [true, undefined, ["associate"]],
    [false, undefined, ["associate", "disassociate"]],
    [true, "Associated", []],
    [true, "Disassociated", ["associate"]],
    [true, "AssociatedFailed", ["associate"]],
    [false, "Associated", ["disassociate"]],
    [false, "AssociatedFailed", ["disassociate"]],
    [false, "Disassociated", []],
  ] as const)("active %s, status %s: %j", (active, status, steps) => {
    expect(planSteps(active, status)).toEqual(steps);
  });

  test("AssociatedFailed ends a wait for association with an explanation", () => {
    const key = { ckn: K1, status: "AssociatedFailed", cipherSuite: "GCM-AES-128", startOn: "" };
    expect(waitFailure("associate", K1, "pc-1", key)).toMatch(
      /did not come up.*same CKN, CAK and cipher suite/,
    );
    expect(waitFailure("associate", K1, "pc-1", { ...key, status: "Associating" })).toBeUndefined();
    expect(waitFailure("disassociate", K1, "pc-1", key)).toBeUndefined();
  });
});

describe("read", () => {
  test("reports the cloud's suite and status, keeps the CAK, and names the active key", () => {
    const c = conn([
      [K1, "Disassociated"],
      [K2, "Associated"],
    ]);
    const { props, inputs: ins } = readState(outputs, c, c.keys[0], {
      region: "cn-hangzhou",
      physicalConnectionId: "pc-1",
    });
    expect(ins).toMatchObject({ active: false, cak: CAK, ckn: K1 });
    expect(props).toMatchObject({ status: "Disassociated", activeCkn: K2, cak: CAK });
  });

  test("AssociatedFailed still holds the active role", () => {
    const c = conn([[K1, "AssociatedFailed"]]);
    expect(
      readState(outputs, c, c.keys[0], { region: "r", physicalConnectionId: "pc-1" }).inputs.active,
    ).toBe(true);
  });
});

describe("hints", () => {
  const ctx = {
    physicalConnectionId: "pc-1",
    region: "cn-hangzhou",
    ckn: K4,
    cipherSuite: "GCM-AES-XPN-256",
    storedCkns: [K1, K2, K3],
  };
  test.each([
    ["UnsupportedFeature.Macsec", /dedicated/],
    ["UnsupportedFeature.Macsec.CipherSuite", /not cipher suite GCM-AES-XPN-256/],
    ["IncorrectStatus.PhysicalConnection", /Enabled, with BusinessStatus Normal and fully paid/],
    ["QuotaExceeded.PconnMacsec", new RegExp(`CKN ${K1}, ${K2}, ${K3}`)],
    ["IllegalParam.Cak", /another CAK/],
    ["ResourceNotFound.PhysicalConnectionId", /region cn-hangzhou/],
  ])("%s", (code, re) => {
    expect(hintFor(code, ctx)).toMatch(re);
  });

  test("other codes have no hint", () => {
    expect(hintFor("Throttling", ctx)).toBeUndefined();
  });
});
