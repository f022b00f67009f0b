// A fixture account of the emulator as the suites use it twice: this process's own clients (reads and
// out-of-band changes) signed as the account, and a stack's config carrying its credentials (secrets as secrets).
import type { ConfigValue } from "../../scripts/engine";

export interface TestAccount {
  accessKeyId: string;
  secret: string;
  account: string;
}

/** Points this process's clients at the emulator at `url`, signing as `account` on every cloud. */
export function useAccountInProcess(url: string, account: TestAccount): void {
  process.env.KEYLINK_TARGET = "emulator";
  process.env.KEYLINK_EMULATOR_URL = url;
  for (const [id, secret] of [
    ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    ["VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"],
    ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"],
  ]) {
    process.env[id] = account.accessKeyId;
    process.env[secret] = account.secret;
  }
}

/** The stack config giving the provider `account`'s credentials for every cloud. */
export function credentialsConfig(account: TestAccount): Record<string, ConfigValue> {
  return {
    "keylink:alibabaAccessKeyId": { value: account.accessKeyId },
    "keylink:alibabaAccessKeySecret": { value: account.secret, secret: true },
    "keylink:volcengineAccessKey": { value: account.accessKeyId },
    "keylink:volcengineSecretKey": { value: account.secret, secret: true },
    "keylink:tencentSecretId": { value: account.accessKeyId },
    "keylink:tencentSecretKey": { value: account.secret, secret: true },
  };
}
