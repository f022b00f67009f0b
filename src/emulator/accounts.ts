// The access keys the emulator accepts, in every cloud. With no fixtures there is one: `test` / `test`.

export interface Account {
  accessKeyId: string;
  secret: string;
  /** Account (Alibaba UID, Volcengine account id, Tencent UIN) that owns resources created with the key. */
  account: string;
}

export const DEFAULT_ACCOUNT: Account = { accessKeyId: "test", secret: "test", account: "1234567890" };

function isText(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

/** Validates `{accessKeyId, secret, account}[]`; errors name the field. */
export function parseAccounts(value: unknown, where = "accounts"): Account[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array of {accessKeyId, secret, account}`);
  return value.map((a: unknown, i) => {
    const o = (typeof a === "object" && a !== null ? a : {}) as Record<string, unknown>;
    for (const field of ["accessKeyId", "secret", "account"]) {
      if (!isText(o[field])) throw new Error(`${where}[${i}].${field} must be a non-empty string`);
    }
    return { accessKeyId: o.accessKeyId as string, secret: o.secret as string, account: o.account as string };
  });
}

export class Accounts {
  private readonly byKey = new Map<string, Account>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.byKey.clear();
    this.byKey.set(DEFAULT_ACCOUNT.accessKeyId, DEFAULT_ACCOUNT);
  }

  add(accounts: Account[]): void {
    for (const a of accounts) this.byKey.set(a.accessKeyId, a);
  }

  lookup(accessKeyId: string): Account | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** With secrets: this is the state file's copy. */
  toJSON(): Account[] {
    return [...this.byKey.values()];
  }

  /** Without secrets, for the inventory. */
  summary(): Array<{ accessKeyId: string; account: string }> {
    return [...this.byKey.values()].map(({ accessKeyId, account }) => ({ accessKeyId, account }));
  }
}
