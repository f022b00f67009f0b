import { ServiceContext, ServiceError } from "../../../../../src/emulator/types";
import { createModel } from "../../../../../src/emulator/services/alibaba-macsec";
import { vpcRequest } from "../../../../support/service-request";

// The emulator's MACsec rules, driven through the service's action handlers with a hand-set clock.

const T = 100; // macsecTransition duration in these tests
const CAK_A = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const CAK_B = "B1B2C3D4E5F60718293A4B5C6D7E8F91";
const K1 = "11111111111111111111111111111111";
const K2 = "22222222222222222222222222222222";
const K3 = "33333333333333333333333333333333";
const K4 = "44444444444444444444444444444444";

function setup(connections: unknown[] = [{ physicalConnectionId: "pc-1", region: "cn-hangzhou" }]) {
  let now = Date.parse("2026-05-01T00:00:00Z");
  const ctx: ServiceContext = { now: () => now, durationMs: () => T, changed: () => undefined };
  const part = createModel();
  part.loadFixtures({ physicalConnections: connections }, ctx);
  const call = (
    action: string,
    params: Record<string, unknown>,
    region = "cn-hangzhou",
    account = "1234567890",
  ) => {
    const req = vpcRequest(action, { RegionId: region, ...params }, { region, account, requestId: "req-1" });
    return part.actions("alibaba-rpc")[action](req, ctx);
  };
  const associate = (ckn: string, cak = CAK_A, suite = "GCM-AES-128", pc = "pc-1") =>
    call("AssociateMacSecKey", { PhysicalConnectionId: pc, CipherSuite: suite, Ckn: ckn, Cak: cak });
  const disassociate = (ckn: string, pc = "pc-1") =>
    call("DisassociateMacSecKey", { PhysicalConnectionId: pc, Ckn: ckn });
  const keys = (pc = "pc-1") => {
    const body = call("DescribePhysicalConnections", {
      "Filter.1.Key": "PhysicalConnectionId",
      "Filter.1.Value.1": pc,
    }) as {
      PhysicalConnectionSet: {
        PhysicalConnectionType: Array<{ MacsecKeys: { MacsecKey: Array<Record<string, string>> } }>;
      };
    };
    const found = body.PhysicalConnectionSet.PhysicalConnectionType[0];
    return Object.fromEntries((found?.MacsecKeys.MacsecKey ?? []).map((k) => [k.Ckn, k.Status]));
  };
  const advance = (ms = T) => {
    now += ms;
  };
  return { part, ctx, call, associate, disassociate, keys, advance };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return e.code;
    throw e;
  }
  return "(no error)";
}

describe("AssociateMacSecKey parameters", () => {
  test("an unknown cipher suite is IllegalParam.CipherSuite", () => {
    const e = setup();
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-512"))).toBe("IllegalParam.CipherSuite");
  });

  test("non-hex or wrong-length CKN and CAK are IllegalParam.Ckn / IllegalParam.Cak, per suite", () => {
    const e = setup();
    expect(codeOf(() => e.associate("Z".repeat(32)))).toBe("IllegalParam.Ckn");
    expect(codeOf(() => e.associate(K1, "0".repeat(31)))).toBe("IllegalParam.Cak");
    // 32 characters are right for -128 but not for -256.
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-XPN-256"))).toBe("IllegalParam.Ckn");
    expect(codeOf(() => e.associate("1".repeat(64), "A".repeat(64), "GCM-AES-256"))).toBe("(no error)");
  });

  test("the error never carries the CAK", () => {
    const e = setup();
    try {
      e.associate(K1, "g" + CAK_A.slice(1));
      throw new Error("expected an error");
    } catch (err) {
      expect((err as Error).message).not.toContain(CAK_A.slice(1));
    }
  });

  test("a missing parameter is Missing<Param>, as the POP gateway names it", () => {
    const e = setup();
    expect(
      codeOf(() =>
        e.call("AssociateMacSecKey", { PhysicalConnectionId: "pc-1", CipherSuite: "GCM-AES-128", Ckn: K1 }),
      ),
    ).toBe("MissingCak");
  });

  test("lower case is accepted and upper-cased", () => {
    const e = setup();
    e.associate("abcdef0123456789abcdef0123456789");
    expect(Object.keys(e.keys())).toEqual(["ABCDEF0123456789ABCDEF0123456789"]);
  });
});

describe("physical connection preconditions", () => {
  test("unknown id, other region or other account: ResourceNotFound.PhysicalConnectionId", () => {
    const e = setup([{ physicalConnectionId: "pc-1", region: "cn-hangzhou", account: "acct" }]);
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-128", "pc-2"))).toBe(
      "ResourceNotFound.PhysicalConnectionId",
    );
    const wrongRegion = () =>
      e.call(
        "AssociateMacSecKey",
        { PhysicalConnectionId: "pc-1", CipherSuite: "GCM-AES-128", Ckn: K1, Cak: CAK_A },
        "cn-shanghai",
      );
    expect(codeOf(wrongRegion)).toBe("ResourceNotFound.PhysicalConnectionId");
    const otherAccount = () =>
      e.call(
        "AssociateMacSecKey",
        { PhysicalConnectionId: "pc-1", CipherSuite: "GCM-AES-128", Ckn: K1, Cak: CAK_A },
        "cn-hangzhou",
        "someone-else",
      );
    expect(codeOf(otherAccount)).toBe("ResourceNotFound.PhysicalConnectionId");
  });

  test.each([[{ status: "Confirmed" }], [{ businessStatus: "FinancialLocked" }], [{ fullyPaid: false }]])(
    "not Enabled, not Normal or not fully paid (%j): IncorrectStatus.PhysicalConnection",
    (extra) => {
      const e = setup([{ physicalConnectionId: "pc-1", region: "cn-hangzhou", ...extra }]);
      expect(codeOf(() => e.associate(K1))).toBe("IncorrectStatus.PhysicalConnection");
    },
  );

  test("hosted or not MACsec-capable: UnsupportedFeature.Macsec", () => {
    const e = setup([
      { physicalConnectionId: "pc-1", region: "cn-hangzhou", macsecCapable: false },
      { physicalConnectionId: "pc-h", region: "cn-hangzhou", parentPhysicalConnectionId: "pc-1" },
    ]);
    expect(codeOf(() => e.associate(K1))).toBe("UnsupportedFeature.Macsec");
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-128", "pc-h"))).toBe("UnsupportedFeature.Macsec");
  });

  test("a suite the device does not support: UnsupportedFeature.Macsec.CipherSuite", () => {
    const e = setup([
      { physicalConnectionId: "pc-1", region: "cn-hangzhou", supportedCipherSuites: ["GCM-AES-128"] },
    ]);
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-XPN-128"))).toBe(
      "UnsupportedFeature.Macsec.CipherSuite",
    );
  });
});

describe("key sets and the active role", () => {
  test("a new key passes through Associating; the previously active key becomes Disassociated", () => {
    const e = setup();
    e.associate(K1);
    expect(e.keys()).toEqual({ [K1]: "Associating" });
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Associated" });
    e.associate(K2, CAK_B);
    expect(e.keys()).toEqual({ [K1]: "Disassociating", [K2]: "Associating" });
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Disassociated", [K2]: "Associated" });
  });

  test("while any key is transitional, writes are IncorrectStatus.PconnMacsec", () => {
    const e = setup();
    e.associate(K1);
    expect(codeOf(() => e.associate(K2, CAK_B))).toBe("IncorrectStatus.PconnMacsec");
    expect(codeOf(() => e.disassociate(K1))).toBe("IncorrectStatus.PconnMacsec");
    e.advance(T - 1);
    expect(codeOf(() => e.associate(K2, CAK_B))).toBe("IncorrectStatus.PconnMacsec");
    e.advance(1);
    expect(codeOf(() => e.associate(K2, CAK_B))).toBe("(no error)");
  });

  test("a fourth new CKN is QuotaExceeded.PconnMacsec (usage 3/3); re-associating a stored one is not", () => {
    const e = setup();
    for (const k of [K1, K2, K3]) {
      e.associate(k);
      e.advance();
    }
    let message = "";
    try {
      e.associate(K4);
    } catch (err) {
      message = `${(err as ServiceError).code}: ${(err as Error).message}`;
    }
    expect(message).toBe("QuotaExceeded.PconnMacsec: The quota of PconnMacsec is exceeded, usage 3/3.");
    expect(codeOf(() => e.associate(K1))).toBe("(no error)");
  });

  test("associating a Disassociated key makes it active and the active one Disassociated", () => {
    const e = setup();
    e.associate(K1);
    e.advance();
    e.associate(K2, CAK_B);
    e.advance();
    e.associate(K1);
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Associated", [K2]: "Disassociated" });
  });

  test("associating the active key again changes nothing", () => {
    const e = setup();
    e.associate(K1);
    e.advance();
    e.associate(K1);
    expect(e.keys()).toEqual({ [K1]: "Associated" });
  });

  test("an existing CKN with another CAK or cipher suite is refused, not rotated in place", () => {
    const e = setup();
    e.associate(K1);
    e.advance();
    e.disassociate(K1);
    e.advance();
    expect(codeOf(() => e.associate(K1, CAK_B))).toBe("IllegalParam.Cak");
    expect(codeOf(() => e.associate(K1, CAK_A, "GCM-AES-XPN-128"))).toBe("IllegalParam.CipherSuite");
    expect(e.keys()).toEqual({ [K1]: "Disassociated" });
  });

  test("a failing negotiation ends AssociatedFailed; associating again renegotiates", () => {
    const e = setup([{ physicalConnectionId: "pc-1", region: "cn-hangzhou", negotiationFails: true }]);
    e.associate(K1);
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "AssociatedFailed" });
    // The peer gets fixed: the same connection without the failure flag, the key kept in AssociatedFailed.
    e.part.loadFixtures(
      {
        physicalConnections: [
          {
            physicalConnectionId: "pc-1",
            region: "cn-hangzhou",
            macsecKeys: [{ ckn: K1, cak: CAK_A, cipherSuite: "GCM-AES-128", status: "AssociatedFailed" }],
          },
        ],
      },
      e.ctx,
    );
    e.associate(K1);
    expect(e.keys()).toEqual({ [K1]: "Associating" });
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Associated" });
  });

  test("disassociating the active key activates the most recently active other key", () => {
    const e = setup();
    for (const k of [K1, K2, K3]) {
      e.associate(k);
      e.advance();
    }
    e.associate(K1); // order of activation now K2, K3, K1
    e.advance();
    e.disassociate(K1);
    expect(e.keys()).toEqual({ [K1]: "Disassociating", [K2]: "Disassociated", [K3]: "Associating" });
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Disassociated", [K2]: "Disassociated", [K3]: "Associated" });
  });

  test("disassociating a Disassociated key deletes it; an unknown CKN is ResourceNotFound.PconnMacsec", () => {
    const e = setup();
    e.associate(K1);
    e.advance();
    e.disassociate(K1);
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Disassociated" });
    e.disassociate(K1);
    expect(e.keys()).toEqual({});
    expect(codeOf(() => e.disassociate(K1))).toBe("ResourceNotFound.PconnMacsec");
  });

  test("disassociating an AssociatedFailed key gives up the active role", () => {
    const e = setup([
      {
        physicalConnectionId: "pc-1",
        region: "cn-hangzhou",
        macsecKeys: [
          { ckn: K1, cak: CAK_A, cipherSuite: "GCM-AES-128", status: "Disassociated" },
          { ckn: K2, cak: CAK_B, cipherSuite: "GCM-AES-128", status: "AssociatedFailed" },
        ],
      },
    ]);
    e.disassociate(K2);
    e.advance();
    expect(e.keys()).toEqual({ [K1]: "Associated", [K2]: "Disassociated" });
  });
});

describe("DescribePhysicalConnections, fixtures, state and inventory", () => {
  const fixture = {
    physicalConnectionId: "pc-1",
    region: "cn-hangzhou",
    macsecKeys: [{ ckn: K1.toLowerCase(), cak: CAK_A, cipherSuite: "GCM-AES-128" }],
  };

  test("returns the documented shape with the CAK masked", () => {
    const e = setup([fixture, { physicalConnectionId: "pc-2", region: "cn-hangzhou" }]);
    const body = e.call("DescribePhysicalConnections", {}) as Record<string, unknown>;
    expect(body).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 2 });
    const conns = (body.PhysicalConnectionSet as { PhysicalConnectionType: Array<Record<string, unknown>> })
      .PhysicalConnectionType;
    expect(conns[0]).toMatchObject({
      PhysicalConnectionId: "pc-1",
      ProductType: "PhysicalConnection",
      Status: "Enabled",
      BusinessStatus: "Normal",
      MacsecKeys: {
        MacsecKey: [
          {
            Ckn: K1,
            Cak: "****",
            CipherSuite: "GCM-AES-128",
            Status: "Associated",
            StartOn: "2026-05-01T00:00:00Z",
          },
        ],
      },
    });
    // Capability, payment and negotiation are fixture-only: the API has no such fields.
    expect(conns[0]).not.toHaveProperty("macsecCapable");
    expect(JSON.stringify(body)).not.toContain(CAK_A.toUpperCase());
  });

  test("filters by PhysicalConnectionId and pages", () => {
    const e = setup([fixture, { physicalConnectionId: "pc-2", region: "cn-hangzhou" }]);
    const one = e.call("DescribePhysicalConnections", {
      "Filter.1.Key": "PhysicalConnectionId",
      "Filter.1.Value.1": "pc-2",
    }) as {
      TotalCount: number;
    };
    expect(one.TotalCount).toBe(1);
    const page2 = e.call("DescribePhysicalConnections", { PageSize: "1", PageNumber: "2" }) as {
      PhysicalConnectionSet: { PhysicalConnectionType: Array<{ PhysicalConnectionId: string }> };
    };
    expect(page2.PhysicalConnectionSet.PhysicalConnectionType.map((c) => c.PhysicalConnectionId)).toEqual([
      "pc-2",
    ]);
    expect(codeOf(() => e.call("DescribePhysicalConnections", { PageSize: "51" }))).toBe(
      "IllegalParam.PageSize",
    );
    expect(
      codeOf(() =>
        e.call("DescribePhysicalConnections", { "Filter.1.Key": "Colour", "Filter.1.Value.1": "x" }),
      ),
    ).toBe("IllegalParam.Filter.1.Key");
  });

  test("invalid fixtures name the field and never echo a CAK", () => {
    const e = setup([]);
    const bad = { ...fixture, macsecKeys: [{ ckn: K1, cak: CAK_A + "00", cipherSuite: "GCM-AES-128" }] };
    const load = () => e.part.loadFixtures({ physicalConnections: [bad] }, e.ctx);
    expect(load).toThrow(
      /alibabaVpc\.physicalConnections\[0\]\.macsecKeys\[0\]\.cak: must be 32 hex characters/,
    );
    expect(load).not.toThrow(new RegExp(CAK_A, "i"));
    const two = {
      ...fixture,
      macsecKeys: [
        { ckn: K1, cak: CAK_A, cipherSuite: "GCM-AES-128" },
        { ckn: K2, cak: CAK_B, cipherSuite: "GCM-AES-128" },
      ],
    };
    expect(() => e.part.loadFixtures({ physicalConnections: [two] }, e.ctx)).toThrow(/at most one key/);
  });

  test("state and inventory hold no CAK; state round-trips", () => {
    const e = setup([fixture]);
    e.associate(K2, CAK_B);
    const state = JSON.parse(JSON.stringify(e.part.toJSON()));
    const inventory = JSON.stringify(e.part.inventory(e.ctx));
    for (const text of [JSON.stringify(state), inventory]) {
      for (const cak of [CAK_A, CAK_B]) {
        expect(text.toUpperCase()).not.toContain(cak.toUpperCase());
      }
    }
    expect(inventory).toContain('"cak":"****"');
    const restored = setup([]);
    restored.part.fromJSON(state);
    restored.advance();
    expect(restored.keys()).toEqual({ [K1]: "Disassociated", [K2]: "Associated" });
    // The restored model still knows the CAK it was given (by its hash).
    expect(codeOf(() => restored.associate(K1, CAK_B))).toBe("IllegalParam.Cak");
    expect(codeOf(() => restored.associate(K1, CAK_A))).toBe("(no error)");
  });

  test("writes are counted per connection in the request log", () => {
    const e = setup();
    const req = (action: string) => vpcRequest(action, { PhysicalConnectionId: "pc-1" }, { account: "acct" });
    expect(e.part.lockKey!(req("AssociateMacSecKey"))).toBe("pconn:pc-1");
    expect(e.part.lockKey!(req("DescribePhysicalConnections"))).toBeUndefined();
  });
});
