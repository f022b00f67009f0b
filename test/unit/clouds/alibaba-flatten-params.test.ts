import { flattenParams } from "../../../src/clouds/alibaba";

describe("flattenParams (Alibaba RPC form)", () => {
  it("flattens objects nested in arrays to A.1.B.C with 1-based indices", () => {
    expect(
      flattenParams({
        TunnelOptionsSpecification: [
          { Role: "master", TunnelIkeConfig: { IkeVersion: "ikev2", Psk: "p1" } },
          { Role: "slave", TunnelIkeConfig: { IkeVersion: "ikev1" } },
        ],
      }),
    ).toEqual({
      "TunnelOptionsSpecification.1.Role": "master",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion": "ikev2",
      "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk": "p1",
      "TunnelOptionsSpecification.2.Role": "slave",
      "TunnelOptionsSpecification.2.TunnelIkeConfig.IkeVersion": "ikev1",
    });
  });

  it("flattens arrays of scalars, arrays in arrays and top-level objects", () => {
    expect(
      flattenParams({ InstanceId: ["a", "b"], Matrix: [["x"], ["y", "z"]], Tag: { Key: "k", Value: "v" } }),
    ).toEqual({
      "InstanceId.1": "a",
      "InstanceId.2": "b",
      "Matrix.1.1": "x",
      "Matrix.2.1": "y",
      "Matrix.2.2": "z",
      "Tag.Key": "k",
      "Tag.Value": "v",
    });
  });

  it("drops undefined and null at every depth, keeping the indices of the other items", () => {
    expect(
      flattenParams({
        Gone: undefined,
        Nothing: null,
        Keep: "",
        List: [{ A: undefined, B: "b" }, null, { A: "a2" }],
      }),
    ).toEqual({ Keep: "", "List.1.B": "b", "List.3.A": "a2" });
  });

  it("stringifies booleans and numbers and leaves JSON strings untouched", () => {
    const ike = JSON.stringify({ IkeVersion: "ikev2", Psk: "s3cr3t" });
    expect(
      flattenParams({ EnableDpd: true, AutoConfigRoute: false, Port: 0, Ratio: 1.5, IkeConfig: ike }),
    ).toEqual({
      EnableDpd: "true",
      AutoConfigRoute: "false",
      Port: "0",
      Ratio: "1.5",
      IkeConfig: ike,
    });
  });

  it("never produces the '[object Object]' or 'undefined' strings pop-core would send", () => {
    const out = flattenParams({
      A: [{ B: { C: [{ D: { E: 1 } }] } }],
      U: undefined,
      N: [undefined, { X: null }],
    });
    expect(out).toEqual({ "A.1.B.C.1.D.E": "1" });
    for (const v of Object.values(out)) expect(v).not.toMatch(/\[object Object\]|^undefined$|^null$/);
  });
});
