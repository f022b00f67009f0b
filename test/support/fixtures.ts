// The demo's emulator fixtures (examples/fixtures/demo.json) for suites that deploy with an account of their own
// (distinctive, searchable credentials): every object is owned by that account, since the emulator scopes VPC and
// KMS objects to accounts as the clouds do. A VPN connection belongs to its gateway's account.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorFixtures } from "../../src/emulator/admin-client";

const DEMO_FIXTURES = path.resolve(__dirname, "..", "..", "examples", "fixtures", "demo.json");

type Section = Record<string, unknown>;

/** demo.json as it is (objects owned by the emulator's built-in account). */
export function demoFixtures(): EmulatorFixtures {
  return JSON.parse(fs.readFileSync(DEMO_FIXTURES, "utf8")) as EmulatorFixtures;
}

/**
 * demo.json with every object owned by `account`, plus `extra` objects per section and list (owned by it too),
 * and the account itself among the emulator's accounts.
 */
export function demoFixturesOwnedBy(
  account: { accessKeyId: string; secret: string; account: string },
  extra: Record<string, Record<string, Section[]>> = {},
): EmulatorFixtures {
  const demo = demoFixtures() as unknown as Record<string, Record<string, unknown>>;
  for (const [name, section] of Object.entries(extra)) {
    demo[name] ??= {};
    for (const [list, items] of Object.entries(section)) {
      demo[name][list] = [...((demo[name][list] as Section[] | undefined) ?? []), ...items];
    }
  }
  for (const section of Object.values(demo)) {
    for (const [list, items] of Object.entries(section)) {
      if (Array.isArray(items) && list !== "vpnConnections") {
        section[list] = items.map((o: Section) => ({ ...o, account: account.account }));
      }
    }
  }
  return { ...(demo as EmulatorFixtures), accounts: [account] };
}
