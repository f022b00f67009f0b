import type * as pulumi from "@pulumi/pulumi";
import { CloudError, isCloudError } from "../../clouds/errors";
import { discardHandover, withLock } from "../../clouds/lock";
import { registerSecrets } from "../../clouds/secrets";
import {
  checkResult,
  deferredNote,
  isUnknown,
  oldInputsFor,
  parseInputs,
  unknownFields,
} from "../common/check";
import {
  type KeyPlace,
  associateKey,
  checkConnection,
  connectionLockKey,
  describeConnection,
  disassociateKey,
  findKeySet,
  keyIn,
  waitKeyAssociated,
  waitKeyDisassociated,
  waitKeyGone,
  waitKeysSettled,
} from "./cloud";
import {
  LiveConnection,
  Step,
  activeKey,
  connectionFailures,
  diffKey,
  hintFor,
  planSteps,
  quotaFailure,
  readState,
} from "./rules";
import {
  DEFAULT_TIMEOUT_SECONDS,
  Inputs,
  Outputs,
  createResourceId,
  inputsSchema,
  parseResourceId,
} from "./schema";
import { PartialCreateError } from "../common/partial-create";
import { recordTakeover, wasTakenOver } from "../common/taken-over";
import { warn } from "../common/warn";
import { processMemory } from "../../common/process-memory";
import { operationDeadline } from "../common/deadline";

// CRUD of one MACsec key set (CKN + CAK) on an Alibaba Express Connect dedicated physical connection, through
// AssociateMacSecKey / DisassociateMacSecKey and the read path DescribePhysicalConnections (VPC 2016-04-28).
//
// Messages for the user (which key loses or gains the active role) are Pulumi warnings (common/warn.ts); they
// name the key and connection, as the engine cannot attach them to the resource. The same facts are always
// visible in state: `status` (this key) and `activeCkn` (the key active on the connection).

const PROVIDER_KEY = "__provider";

type Props = Record<string, unknown>;

function registerInputSecrets(...bags: Props[]): void {
  for (const b of bags) registerSecrets(typeof b?.cak === "string" ? b.cak : undefined);
}

// Creates checked in this process, per connection: check() sees each create only once, so counting them is what
// makes a deployment adding three keys to a connection that holds one fail at preview instead of mid-update.
function pending(connection: string): Set<string> {
  const table = processMemory("macsec-pending-creates", () => new Map<string, Set<string>>());
  let set = table.get(connection);
  if (!set) {
    set = new Set();
    table.set(connection, set);
  }
  return set;
}

function parseOrThrow(news: Props): Inputs {
  const { inputs, failures } = parseInputs(inputsSchema, news);
  if (!inputs)
    throw new Error(`Invalid MacsecKeyAssociation inputs: ${failures.map((f) => f.reason).join("; ")}`);
  return inputs;
}

/** One MACsec key set on one connection, with the operation's deadline (one budget for every call and wait). */
class KeyOps {
  readonly place: KeyPlace;

  constructor(
    readonly region: string,
    readonly physicalConnectionId: string,
    readonly ckn: string,
    readonly remaining: () => number,
  ) {
    this.place = { region, physicalConnectionId, ckn };
  }

  private what(): string {
    return `MACsec key ${this.ckn} on ${this.physicalConnectionId}`;
  }

  /** Waits until no key of the connection is Associating or Disassociating. */
  quiet(): Promise<LiveConnection | undefined> {
    return waitKeysSettled(this.region, this.physicalConnectionId, this.remaining);
  }

  /** Set once a write call succeeded: from then on the cloud may hold the key. */
  wrote = false;

  /**
   * One call, then waits for its outcome; returns the connection as the wait's last read showed it. Disassociating
   * a Disassociated key deletes it (`deletes`), so that wait is for the key to be gone.
   */
  async run(
    step: Step,
    inputs?: Inputs,
    storedCkns: string[] = [],
    deletes = false,
  ): Promise<LiveConnection | undefined> {
    const context = {
      physicalConnectionId: this.physicalConnectionId,
      region: this.region,
      ckn: this.ckn,
      cipherSuite: inputs?.cipherSuite,
      storedCkns,
    };
    // Should this write fail, the next holder of the lock must not take what an earlier wait read before it.
    discardHandover(connectionLockKey(this.region, this.physicalConnectionId));
    try {
      if (step === "associate") {
        if (!inputs) throw new Error("associate needs the inputs");
        await associateKey(
          this.region,
          {
            PhysicalConnectionId: this.physicalConnectionId,
            CipherSuite: inputs.cipherSuite,
            Ckn: this.ckn,
            Cak: inputs.cak,
          },
          this.remaining(),
        );
      } else {
        await disassociateKey(
          this.region,
          { PhysicalConnectionId: this.physicalConnectionId, Ckn: this.ckn },
          this.remaining(),
        );
      }
    } catch (e) {
      const hint = e instanceof CloudError ? hintFor(e.code, context) : undefined;
      throw e instanceof CloudError && hint ? e.withHint(hint) : e;
    }
    this.wrote = true;
    if (step === "associate") return waitKeyAssociated(this.place, this.remaining);
    return deletes
      ? waitKeyGone(this.place, this.remaining)
      : waitKeyDisassociated(this.place, this.remaining);
  }

  /**
   * Runs the steps that bring the key to the wanted role, logging which key the cloud made active. Returns the
   * connection as last read.
   */
  async apply(
    steps: Step[],
    before: LiveConnection | undefined,
    inputs?: Inputs,
  ): Promise<LiveConnection | undefined> {
    let conn = before;
    for (const step of steps) {
      const previous = conn ? activeKey(conn)?.ckn : undefined;
      conn = await this.run(
        step,
        inputs,
        conn?.keys.map((k) => k.ckn),
      );
      const now = conn ? activeKey(conn)?.ckn : undefined;
      if (step === "associate" && previous && previous !== this.ckn) {
        await warn(
          `${this.what()} is now the active key; key ${previous}, active before, is now Disassociated.`,
        );
      }
      if (step === "disassociate") {
        await warn(
          `${this.what()} is now Disassociated; ` +
            (now
              ? `the cloud made key ${now} the active key.`
              : `no MACsec key is active on the connection now.`),
        );
      }
    }
    return conn;
  }

  /** The outputs from the connection as last read (the wait's final read), reading again only without the key. */
  async outputs(inputs: Inputs, last: LiveConnection | undefined): Promise<Outputs> {
    let conn = last;
    let key = keyIn(conn, this.ckn);
    if (!key) {
      conn = await describeConnection(this.region, this.physicalConnectionId, this.remaining());
      key = keyIn(conn, this.ckn);
    }
    if (!conn || !key) {
      throw new Error(
        `${this.what()} was not found after it was associated; run 'pulumi refresh' and retry.`,
      );
    }
    return readState(inputs, conn, key, {
      region: this.region,
      physicalConnectionId: this.physicalConnectionId,
    }).props;
  }
}

export { configure } from "../common/configure";

/** Region, connection and CKN once they are known, even while other inputs (e.g. a computed CAK) are not. */
function placement(news: Props, inputs: Inputs | undefined) {
  if (inputs) return inputs;
  const { region, physicalConnectionId, ckn, timeoutSeconds } = news;
  if ([region, physicalConnectionId, ckn].some((v) => typeof v !== "string" || isUnknown(v)))
    return undefined;
  return {
    region: region as string,
    physicalConnectionId: physicalConnectionId as string,
    ckn: (ckn as string).toUpperCase(),
    timeoutSeconds: typeof timeoutSeconds === "number" ? timeoutSeconds : undefined,
  };
}

export async function check(givenOlds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const olds = oldInputsFor(givenOlds, news);
  registerInputSecrets(olds, news);
  const { inputs, failures } = parseInputs(inputsSchema, news);
  const p = failures.length === 0 ? placement(news, inputs) : undefined;
  const unknown = unknownFields(news, ["region", "physicalConnectionId", "ckn"]);
  if (unknown.length > 0 && failures.length === 0) {
    const known = ["ckn", "physicalConnectionId"].filter(
      (f) => !unknown.includes(f) && typeof news[f] === "string",
    );
    await warn(
      deferredNote(
        `MacsecKeyAssociation (${known.map((f) => `${f} ${String(news[f])}`).join(", ")})`,
        unknown,
        "the connection and its quota of three key sets",
      ),
    );
  }
  if (!p) return checkResult(news, inputs, failures);
  const sameConnection = olds.region === p.region && olds.physicalConnectionId === p.physicalConnectionId;
  const storesNewKey = !sameConnection || String(olds.ckn ?? "").toUpperCase() !== p.ckn;
  if (storesNewKey) {
    // A create, or a replacement that stores another key set: judge it against the connection now, at preview,
    // as the deployment's checks read it a moment ago (CHECK_SHARED_READ_MS) or now. The key sets of this
    // deployment checked since count through pending().
    const conn = await checkConnection(
      p.region,
      p.physicalConnectionId,
      operationDeadline(p.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS)(),
    );
    const found = connectionFailures(conn, p.region, p.physicalConnectionId);
    if (found.length === 0 && conn) {
      const connection = connectionLockKey(p.region, p.physicalConnectionId);
      const quota = quotaFailure({
        conn,
        ckn: p.ckn,
        pendingCkns: [...pending(connection)],
        replacingCkn: sameConnection ? String(olds.ckn ?? "").toUpperCase() : undefined,
      });
      if (quota) found.push(quota);
      else pending(connection).add(p.ckn);
    }
    failures.push(...found);
  }
  return checkResult(news, inputs, failures);
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  registerInputSecrets(olds, news);
  const o = olds as Partial<Outputs>;
  const n = news as unknown as Inputs;
  let d = diffKey(o, n);
  const sameConnection = o.region === n.region && o.physicalConnectionId === n.physicalConnectionId;
  if (
    d.replaces &&
    d.replaces.length > 0 &&
    !d.deleteBeforeReplace &&
    sameConnection &&
    o.region &&
    o.physicalConnectionId
  ) {
    // Whether the new set fits beside the old one depends on how many sets the connection holds now.
    const conn = await describeConnection(
      o.region,
      o.physicalConnectionId,
      operationDeadline(o.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS)(),
    );
    d = diffKey(
      o,
      n,
      conn?.keys.map((k) => k.ckn),
    );
  }
  for (const note of d.notes) await warn(note);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(news: Props): Promise<pulumi.dynamic.CreateResult> {
  const inputs = parseOrThrow(news);
  registerSecrets(inputs.cak);
  const id = createResourceId(inputs.region, inputs.physicalConnectionId, inputs.ckn);
  const connection = connectionLockKey(inputs.region, inputs.physicalConnectionId);
  const ops = new KeyOps(
    inputs.region,
    inputs.physicalConnectionId,
    inputs.ckn,
    operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
  );
  try {
    return await withLock(connection, async () => {
      const before = await ops.quiet();
      const existing = keyIn(before, inputs.ckn);
      if (existing) {
        // Left by an earlier create that failed before Pulumi recorded it, or made outside Pulumi. The CAK cannot
        // be read back, so the key is associated again whatever its status: with the same CAK and cipher suite
        // that takes it over, with others the cloud refuses (IllegalParam.Cak, with a hint).
        await warn(
          `MACsec key ${inputs.ckn} already exists on ${inputs.physicalConnectionId} (${existing.status}); ` +
            `this resource takes it over.`,
        );
        recordTakeover("macsec", id);
      }
      try {
        const last = await ops.apply(planSteps(inputs.active, undefined), before, inputs);
        return { id, outs: await ops.outputs(inputs, last) };
      } catch (e) {
        // Before any write succeeded the key is not ours (even when one with this CKN exists): nothing to keep.
        if (!ops.wrote) throw e;
        const message = e instanceof Error ? e.message : String(e);
        const outs = await ops.outputs(inputs, undefined).catch(() => ({ ...inputs }));
        throw new PartialCreateError(message, id, { ...outs, [PROVIDER_KEY]: news[PROVIDER_KEY] });
      }
    });
  } finally {
    pending(connection).delete(inputs.ckn);
  }
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  registerInputSecrets(props);
  const { region, physicalConnectionId, ckn } = parseResourceId(id);
  // The connection's key sets are shared by the reads of its other key sets for a moment (REFRESH_SHARED_READ_MS):
  // a refresh reads each connection once, not each key set.
  const found = await findKeySet(
    { region, physicalConnectionId, ckn },
    operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS)(),
  );
  // The key (or its connection) is gone: an empty id tells Pulumi to drop the resource from state.
  if (!found) return {};
  const state = readState(props as Partial<Outputs>, found.conn, found.key, { region, physicalConnectionId });
  return { id, props: state.props, inputs: state.inputs };
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  registerInputSecrets(olds, news);
  const inputs = parseOrThrow(news);
  const ops = new KeyOps(
    inputs.region,
    inputs.physicalConnectionId,
    inputs.ckn,
    operationDeadline(inputs.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
  );
  return withLock(connectionLockKey(inputs.region, inputs.physicalConnectionId), async () => {
    const before = await ops.quiet();
    const key = keyIn(before, inputs.ckn);
    const what = `MACsec key ${inputs.ckn} on ${inputs.physicalConnectionId}`;
    if (!key) await warn(`${what} no longer exists (removed outside Pulumi); associating it again.`);
    else if (key.status === "AssociatedFailed" && inputs.active) {
      await warn(
        `${what} is AssociatedFailed; associating it again so that the device renegotiates the session.`,
      );
    }
    const last = await ops.apply(planSteps(inputs.active, key?.status), before, inputs);
    return { outs: await ops.outputs(inputs, last) };
  });
}

export async function destroy(id: string, props: Props): Promise<void> {
  registerInputSecrets(props);
  const { region, physicalConnectionId, ckn } = parseResourceId(id);
  if (wasTakenOver("macsec", id)) {
    await warn(
      `MACsec key ${ckn} on ${physicalConnectionId} was taken over by another resource of this deployment; ` +
        `the resource that held it is removed from the stack and the key stays on the connection.`,
    );
    return;
  }
  const ops = new KeyOps(
    region,
    physicalConnectionId,
    ckn,
    operationDeadline(props.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
  );
  const gone = (e: unknown) =>
    isCloudError(e, "ResourceNotFound.PconnMacsec", "ResourceNotFound.PhysicalConnectionId");
  await withLock(connectionLockKey(region, physicalConnectionId), async () => {
    const before = await ops.quiet();
    const key = keyIn(before, ckn);
    if (!key) return;
    try {
      // An Associated (or AssociatedFailed) key is first disassociated; disassociating a Disassociated key
      // deletes it.
      if (key.status !== "Disassociated") await ops.apply(["disassociate"], before);
      await ops.run("disassociate", undefined, [], true);
    } catch (e) {
      if (!gone(e)) throw e;
    }
  });
}
