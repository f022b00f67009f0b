// Volcengine STS (2018-01-01): roles and sessions in the shared StsDirectory (src/emulator/roles.ts).
import { STS_VERSION } from "../../../clouds/facts/volcengine-sts";
import { StsDirectory } from "../../roles";
import type { ServiceModel } from "../../types";
import { actions } from "./routes";

const ROLE_TRN = /^trn:iam::(\d+):role\/.+$/;

export function createModel(): ServiceModel {
  const directory = new StsDirectory("volcengine", "volcengineSts", (trn) => ROLE_TRN.exec(trn)?.[1]);
  const handlers = actions(directory);

  return {
    key: "volcengineSts",
    cloud: "volcengine",
    service: "sts",
    protocols: ["volcengine"],
    versions: [STS_VERSION],
    actions: (protocol) => (protocol === "volcengine" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
  };
}
