// The one module PSKs move through: what leaves it as "plain" holds no PSK, what it splits off it puts back
// unchanged, and every PSK it is shown is scrubbed from messages.
import { redact } from "../../../src/clouds/secrets";
import type { Settings } from "../../../src/resources/vpn-connection-config/cloud";
import {
  joinPsks,
  moveNestedPsks,
  psksIn,
  registerPsks,
  splitPsks,
  userField,
} from "../../../src/resources/vpn-connection-config/psk";

const PSK = { single: "Single-PSK-1!", master: "Master-PSK-2?", slave: "Slave-PSK-3#", given: "Given-PSK-4" };

const settings: Settings = {
  name: "office",
  ikeConfig: { psk: PSK.single, ikeEncAlg: "aes256" },
  tunnelOptionsSpecification: [
    { tunnelId: "tun-m", role: "master", tunnelIkeConfig: { psk: PSK.master, ikeLifetime: 600 } },
    { role: "slave", tunnelIkeConfig: { psk: PSK.slave } },
    { tunnelId: "tun-x", enableDpd: false },
  ],
};

function expectNoPsk(value: unknown): void {
  const text = JSON.stringify(value);
  for (const psk of Object.values(PSK)) expect(text).not.toContain(psk);
}

describe("VpnConnectionConfig PSKs", () => {
  it("splits settings into a plain part with no PSK anywhere and the keys by tunnelId or role", () => {
    const { plain, presharedKeys } = splitPsks(settings);
    expectNoPsk(plain);
    expect(plain).toEqual({
      name: "office",
      ikeConfig: { ikeEncAlg: "aes256" },
      tunnelOptionsSpecification: [
        { tunnelId: "tun-m", role: "master", tunnelIkeConfig: { ikeLifetime: 600 } },
        { role: "slave", tunnelIkeConfig: {} },
        { tunnelId: "tun-x", enableDpd: false },
      ],
    });
    expect(presharedKeys).toEqual({
      ikeConfig: PSK.single,
      tunnels: { "tun-m": PSK.master, slave: PSK.slave },
    });
    // The input is left as it was: the caller's settings still carry their PSKs.
    expect(settings.ikeConfig?.psk).toBe(PSK.single);
  });

  it("finds no keys in settings without PSKs, and drops a psk member that holds nothing", () => {
    const none: Settings = { name: "n" };
    expect(splitPsks(none)).toEqual({ plain: { name: "n" }, presharedKeys: undefined });
    expect(splitPsks({ ikeConfig: { psk: undefined, ikePfs: "group2" } })).toEqual({
      plain: { ikeConfig: { ikePfs: "group2" } },
      presharedKeys: undefined,
    });
  });

  it("puts split keys back where they were", () => {
    const { plain, presharedKeys } = splitPsks(settings);
    expect(joinPsks(plain, presharedKeys)).toEqual({
      ...settings,
      tunnelOptionsSpecification: [
        settings.tunnelOptionsSpecification![0],
        settings.tunnelOptionsSpecification![1],
        { tunnelId: "tun-x", enableDpd: false },
      ],
    });
    expect(joinPsks(plain, undefined)).toEqual(plain);
    // A key for a tunnel the settings do not name goes nowhere.
    expect(joinPsks({ name: "n" }, { tunnels: { "tun-m": PSK.master } })).toEqual({ name: "n" });
  });

  it("moves nested PSKs into presharedKeys, the nested one winning for the same place", () => {
    const moved = moveNestedPsks({
      ...settings,
      presharedKeys: { ikeConfig: PSK.given, tunnels: { "tun-x": PSK.given, "tun-m": PSK.given } },
    });
    const { presharedKeys, ...rest } = moved;
    expectNoPsk(rest);
    expect(presharedKeys).toEqual({
      ikeConfig: PSK.single,
      tunnels: { "tun-x": PSK.given, "tun-m": PSK.master, slave: PSK.slave },
    });
    const untouched = { name: "n", presharedKeys: {} };
    expect(moveNestedPsks(untouched)).toBe(untouched);
  });

  it("finds every PSK in inputs, outputs and settings", () => {
    expect(
      psksIn({
        presharedKeys: { ikeConfig: "p1", tunnels: { a: "p2" } },
        originalSettings: {
          ikeConfig: { psk: "p3" },
          tunnelOptionsSpecification: [{ tunnelIkeConfig: { psk: "p4" } }],
        },
      }).sort(),
    ).toEqual(["p1", "p2", "p3", "p4"]);
    // As state records originalSettings: JSON text.
    expect(psksIn({ originalSettings: JSON.stringify({ ikeConfig: { psk: "p5" } }) })).toEqual(["p5"]);
    expect(psksIn({ originalSettings: "{not json" })).toEqual([]);
    expect(psksIn(settings).sort()).toEqual([PSK.master, PSK.single, PSK.slave].sort());
  });

  it("registers every PSK it is shown, so messages are scrubbed of them", () => {
    const fresh = {
      ikeConfig: { psk: "Registered-PSK-5" },
      presharedKeys: { tunnels: { t: "Registered-PSK-6" } },
    };
    registerPsks(fresh);
    expect(redact("a Registered-PSK-5 b Registered-PSK-6")).toBe("a [secret] b [secret]");
  });

  it("names a PSK failure as the user wrote it", () => {
    const news = { tunnelOptionsSpecification: [{ role: "master" }, { tunnelId: "tun-b" }] };
    expect(userField("presharedKeys.ikeConfig", news)).toBe("ikeConfig.psk");
    expect(userField("presharedKeys.tunnels.tun-b", news)).toBe(
      "tunnelOptionsSpecification[1].tunnelIkeConfig.psk",
    );
    expect(userField("presharedKeys.tunnels.tun-z", news)).toBe("presharedKeys.tunnels");
    expect(userField("name", news)).toBe("name");
  });
});
