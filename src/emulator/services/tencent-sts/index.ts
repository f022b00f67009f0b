// Tencent Cloud STS (sts 2018-08-13): roles and sessions in the shared StsDirectory (src/emulator/roles.ts).
import { STS_VERSION } from "../../../clouds/facts/tencent-sts";
import { StsDirectory } from "../../roles";
import type { ServiceModel } from "../../types";
import { actions } from "./routes";

const ROLE_ARN = /^qcs::cam::uin\/(\d+):role(?:Name)?\/.+$/;

export function createModel(): ServiceModel {
  const directory = new StsDirectory("tencent", "tencentSts", (arn) => ROLE_ARN.exec(arn)?.[1]);
  const handlers = actions(directory);

  return {
    key: "tencentSts",
    cloud: "tencent",
    service: "sts",
    protocols: ["tencent-tc3"],
    versions: [STS_VERSION],
    actions: (protocol) => (protocol === "tencent-tc3" ? handlers : {}),
    loadFixtures: (fixtures) => directory.load(fixtures),
    toJSON: () => directory.toJSON(),
    fromJSON: (state) => directory.fromJSON(state),
    reset: () => directory.reset(),
    inventory: () => directory.inventory(),
  };
}
