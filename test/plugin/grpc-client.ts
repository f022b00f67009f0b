// Speaks the engine's side of the provider protocol to a pulumi-resource-keylink process (or any plugin built
// on the Node.js provider SDK), so that tests see exactly what the plugin puts on the wire.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";

export const PLUGIN_MAIN = path.resolve(__dirname, "..", "..", "dist", "plugin", "main.js");

type Bag = Record<string, unknown>;

export interface PluginProcess {
  client: rpc.ResourceProviderClient;
  stderr: string[];
  close(): Promise<void>;
}

/** Starts `node <script> [args]` as the engine would (the plugin prints its port) and connects to it. */
export async function startPlugin(
  script: string = PLUGIN_MAIN,
  env: NodeJS.ProcessEnv = process.env,
  args: string[] = [],
): Promise<PluginProcess> {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`plugin exited with ${code}: ${stderr.join("")}`)));
  });
  const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    stderr,
    close: async () => {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill();
        await exited;
      }
    },
  };
}

function call<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

export const struct = (v: Bag): Struct => Struct.fromJavaScript(v as never);

/** The engine's calls, with plain JavaScript in and out (secrets stay in their wire wrapping). */
export class Engine {
  constructor(private readonly client: rpc.ResourceProviderClient) {}

  async configure(variables: Record<string, string>): Promise<pb.ConfigureResponse> {
    const req = new pb.ConfigureRequest();
    for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
    req.setArgs(struct({}));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    return call(this.client.configure.bind(this.client), req);
  }

  async check(
    urn: string,
    olds: Bag,
    news: Bag,
  ): Promise<{ inputs: Bag; failures: Array<{ property: string; reason: string }> }> {
    const req = new pb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await call<pb.CheckRequest, pb.CheckResponse>(this.client.check.bind(this.client), req);
    return {
      inputs: (res.getInputs()?.toJavaScript() ?? {}) as Bag,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Bag, news: Bag): Promise<pb.DiffResponse.AsObject> {
    const req = new pb.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await call<pb.DiffRequest, pb.DiffResponse>(this.client.diff.bind(this.client), req);
    return res.toObject();
  }

  /** Create; `timeout` (seconds) is what the engine sends for a customTimeouts create option. */
  async create(urn: string, props: Bag, timeout?: number): Promise<{ id: string; props: Bag }> {
    const req = new pb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(props));
    if (timeout !== undefined) req.setTimeout(timeout);
    const res = await call<pb.CreateRequest, pb.CreateResponse>(this.client.create.bind(this.client), req);
    return { id: res.getId(), props: (res.getProperties()?.toJavaScript() ?? {}) as Bag };
  }

  /** Read; without props, as `pulumi import` sends it (no properties field at all). */
  async read(urn: string, id: string, props?: Bag): Promise<{ id: string; props: Bag; inputs?: Bag }> {
    const req = new pb.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    if (props) req.setProperties(struct(props));
    const res = await call<pb.ReadRequest, pb.ReadResponse>(this.client.read.bind(this.client), req);
    return {
      id: res.getId(),
      props: (res.getProperties()?.toJavaScript() ?? {}) as Bag,
      inputs: res.getInputs()?.toJavaScript() as Bag | undefined,
    };
  }

  async update(urn: string, id: string, olds: Bag, news: Bag): Promise<Bag> {
    const req = new pb.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await call<pb.UpdateRequest, pb.UpdateResponse>(this.client.update.bind(this.client), req);
    return (res.getProperties()?.toJavaScript() ?? {}) as Bag;
  }

  async delete(urn: string, id: string, props: Bag): Promise<void> {
    const req = new pb.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(props));
    await call(this.client.delete.bind(this.client), req);
  }
}

export const urnOf = (token: string, name: string): string => `urn:pulumi:test::keylink::${token}::${name}`;
