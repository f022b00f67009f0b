// Cmk writes whose answer is lost after the cloud carried them out (a dropped connection), so that the client's
// retry meets the write's own effect. Found by test/reliability/faults: a retried ScheduleKeyDeletion failed the
// destroy of a key that was already pending deletion.
import { tencentClient } from "../../../src/clouds/tencent";
import { startEmulator } from "../../../src/emulator";
import * as provider from "../../../src/resources/cmk/provider";
import { type LossyProxy, startLossyProxy } from "../../support/reliability/lossy-proxy";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const REGION = "ap-guangzhou";
let emu: Emulator;
let proxy: LossyProxy;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  proxy = await startLossyProxy(emu.url);
  process.env.KEYLINK_TARGET = "emulator";
  // The provider talks through the proxy.
  process.env.KEYLINK_EMULATOR_URL = proxy.url;
  await provider.configure({ get: () => undefined });
});

afterAll(async () => {
  process.env = saved;
  await proxy.close();
  await emu.close();
});

it.each(["UpdateAlias", "DisableKey", "ScheduleKeyDeletion"])(
  "destroys a key when the answer of its %s is lost and the retry meets the done work",
  async (action) => {
    const inputs = (await provider.check({}, { region: REGION, alias: `lost-${action}` })).inputs;
    const { id } = await provider.create(inputs as Record<string, unknown>);
    proxy.dropped.length = 0;
    proxy.dropFirstOfEach(true, [action]);
    try {
      await provider.destroy(id, inputs as Record<string, unknown>);
    } finally {
      proxy.dropFirstOfEach(false);
    }
    expect(proxy.dropped).toEqual([action]);
    const keyId = id.split(":")[1];
    const { KeyMetadata: meta } = await tencentClient(REGION).call<{
      KeyMetadata: { KeyState: string; Alias: string };
    }>("DescribeKey", { KeyId: keyId });
    expect(meta.KeyState).toBe("PendingDelete");
    expect(meta.Alias).not.toBe(`lost-${action}`);
  },
);
