// Alibaba Cloud STS (2015-04-01): roles and sessions in the shared StsDirectory (src/emulator/roles.ts).
import { StsDirectory } from "../../roles";
import type { ServiceModel } from "../../types";
import { actions, instanceCredentials } from "./routes";

const ROLE_ARN = /^acs:ram::(\d+):role\/.+$/i;

export function createModel(): ServiceModel {
  const directory = new StsDirectory("alibaba", "alibabaSts", (arn) => ROLE_ARN.exec(arn)?.[1]);
  const handlers = actions(directory);

  return {
    key: "alibabaSts",
    cloud: "alibaba",
    service: "sts",
    protocols: ["alibaba-rpc"],
    versions: ["2015-04-01"],
    actions: (protocol) => (protocol === "alibaba-rpc" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
    instanceCredentials: (ctx) => instanceCredentials(directory, ctx),
  };
}
