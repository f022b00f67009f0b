// The registry of service models the emulator serves. Each folder's index.ts exports createModel().
import { createModel as alibabaKms } from "./alibaba-kms";
import { createModel as alibabaMacsec } from "./alibaba-macsec";
import { createModel as alibabaSts } from "./alibaba-sts";
import { createModel as alibabaVpn } from "./alibaba-vpn";
import { createModel as tencentKms } from "./tencent-kms";
import { createModel as tencentSts } from "./tencent-sts";
import { createModel as volcengineKms } from "./volcengine-kms";
import { createModel as volcengineSts } from "./volcengine-sts";
import type { ServiceModel } from "../types";

/** Fresh model instances: each emulator owns its state. */
export function allModels(): ServiceModel[] {
  return [
    // Both parts of Alibaba VPC, under its one key (alibaba-vpc-api.ts).
    alibabaMacsec(),
    alibabaVpn(),
    alibabaKms(),
    volcengineKms(),
    tencentKms(),
    alibabaSts(),
    tencentSts(),
    volcengineSts(),
  ];
}
