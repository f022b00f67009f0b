// Temporary credentials issued by the emulator's STS services (AssumeRole and its OIDC variants): an access
// key, its secret and a session token, acting in the role's account until they expire on the emulator clock.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { EmulatorCloud } from "./types";

export interface Session {
  cloud: EmulatorCloud;
  accessKeyId: string;
  secret: string;
  sessionToken: string;
  /** Account the role belongs to: the account every request signed with this session acts in. */
  account: string;
  /** The role's ARN/TRN and the session name, as the STS answer names them. */
  roleArn: string;
  sessionName: string;
  /** Emulator-clock epoch milliseconds. */
  expiresAtMs: number;
}

// Each cloud's shape of a temporary access key: Alibaba "STS.", Tencent "AKID", Volcengine "AKTP".
const KEY_PREFIX: Record<EmulatorCloud, string> = { alibaba: "STS.", tencent: "AKID", volcengine: "AKTP" };

const random = (bytes: number) => randomBytes(bytes).toString("base64url");

const sessionSchema = z.strictObject({
  cloud: z.enum(["alibaba", "tencent", "volcengine"]),
  accessKeyId: z.string().min(1),
  secret: z.string().min(1),
  sessionToken: z.string().min(1),
  account: z.string().min(1),
  roleArn: z.string().min(1),
  sessionName: z.string(),
  expiresAtMs: z.number(),
});

export class Sessions {
  private readonly byKey = new Map<string, Session>();

  issue(init: Omit<Session, "accessKeyId" | "secret" | "sessionToken">): Session {
    const session: Session = {
      ...init,
      accessKeyId: KEY_PREFIX[init.cloud] + random(18),
      secret: random(24),
      // Long and opaque, as the clouds' tokens are (several hundred characters).
      sessionToken: random(192),
    };
    this.byKey.set(session.accessKeyId, session);
    return session;
  }

  lookup(accessKeyId: string): Session | undefined {
    return this.byKey.get(accessKeyId);
  }

  reset(): void {
    this.byKey.clear();
  }

  /** With secrets and tokens: this is the state file's copy. */
  toJSON(): Session[] {
    return [...this.byKey.values()];
  }

  fromJSON(value: unknown): void {
    this.reset();
    for (const s of z.array(sessionSchema).parse(value ?? [])) this.byKey.set(s.accessKeyId, s);
  }

  /** Without secrets, for the inventory. */
  summary(nowMs: number): Array<{ cloud: string; accessKeyId: string; account: string; expired: boolean }> {
    return [...this.byKey.values()].map((s) => ({
      cloud: s.cloud,
      accessKeyId: s.accessKeyId,
      account: s.account,
      expired: nowMs >= s.expiresAtMs,
    }));
  }
}
