// A Volcengine KMS multi-region key replicated from cn-beijing into another region.
import * as pulumi from "@pulumi/pulumi";
import { ReplicaKey } from "pulumi-keylink";

export = async () => {
  const cfg = new pulumi.Config("example");
  const replica = new ReplicaKey("orders-replica", {
    keyringName: cfg.get("keyringName") ?? "orders",
    keyName: cfg.get("keyName") ?? "mrk-orders",
    primaryRegion: "cn-beijing",
    replicaRegion: cfg.get("replicaRegion") ?? "cn-shanghai",
    description: cfg.get("description") ?? "Orders key, Shanghai replica",
  });
  return { replicaKeyId: replica.replicaKeyId, trn: replica.trn, keyState: replica.keyState };
};
