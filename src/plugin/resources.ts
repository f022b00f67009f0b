import type { z } from "zod";
import type { ProviderModule } from "../resources/common/stub";
import { inputsSchema as cmkSchema } from "../resources/cmk/schema";
import { inputsSchema as importedKeyMaterialSchema } from "../resources/imported-key-material/schema";
import { inputsSchema as macsecKeyAssociationSchema } from "../resources/macsec-key-association/schema";
import {
  inputsSchema as replicaKeySchema,
  parseResourceId as parseReplicaKeyId,
} from "../resources/replica-key/schema";
import { inputsSchema as vpnConnectionConfigSchema } from "../resources/vpn-connection-config/schema";
import * as cmk from "../resources/cmk/provider";
import * as importedKeyMaterial from "../resources/imported-key-material/provider";
import * as macsecKeyAssociation from "../resources/macsec-key-association/provider";
import * as replicaKey from "../resources/replica-key/provider";
import * as vpnConnectionConfig from "../resources/vpn-connection-config/provider";

/** One resource type the plugin serves: the same provider module as the dynamic resource of that name. */
export interface PluginResource {
  token: string;
  /** The dynamic resource's class name (and its type in dynamic-resource state). */
  name: string;
  module: ProviderModule;
  /** The zod schema of its inputs (schema.json is generated from it). */
  inputs: z.ZodType;
  /** Its folder under src/resources (the Resource class there documents each property). */
  dir: string;
  /** Properties of nested input objects that are secrets (marked so in schema.json). */
  nestedSecrets?: readonly string[];
  /** Properties always stored and returned as secrets (inputs and outputs): they carry a CAK, PSK or key material. */
  secrets: readonly string[];
  /** The resource id, for the docs and import. */
  idFormat: string;
  /** Inputs the cloud never returns: `pulumi import` cannot read them back, and the user supplies them. */
  writeOnly: readonly string[];
  /** For `pulumi import` (a read with the id alone): the properties a read needs that only the id holds. */
  importProps?: (id: string) => Record<string, unknown>;
}

export const RESOURCES: readonly PluginResource[] = [
  {
    token: "keylink:alibaba:MacsecKeyAssociation",
    name: "MacsecKeyAssociation",
    module: macsecKeyAssociation,
    inputs: macsecKeyAssociationSchema,
    dir: "macsec-key-association",
    secrets: ["cak"],
    idFormat: "<region>:<physicalConnectionId>:<CKN>",
    writeOnly: ["cak"],
  },
  {
    token: "keylink:alibaba:VpnConnectionConfig",
    name: "VpnConnectionConfig",
    module: vpnConnectionConfig,
    inputs: vpnConnectionConfigSchema,
    dir: "vpn-connection-config",
    nestedSecrets: ["psk"],
    secrets: ["presharedKeys", "livePresharedKeys", "originalSettings"],
    idFormat: "<region>:<vpnConnectionId>",
    writeOnly: [],
  },
  {
    token: "keylink:alibaba:ImportedKeyMaterial",
    name: "ImportedKeyMaterial",
    module: importedKeyMaterial,
    inputs: importedKeyMaterialSchema,
    dir: "imported-key-material",
    secrets: ["keyMaterial"],
    idFormat: "<region>:<keyId>",
    writeOnly: ["keyMaterial"],
  },
  {
    token: "keylink:volcengine:ReplicaKey",
    name: "ReplicaKey",
    module: replicaKey,
    inputs: replicaKeySchema,
    dir: "replica-key",
    secrets: [],
    idFormat: "<replicaRegion>:<keyId>",
    writeOnly: [],
    importProps: (id) => ({ replicaRegion: parseReplicaKeyId(id).replicaRegion }),
  },
  {
    token: "keylink:tencent:Cmk",
    name: "Cmk",
    module: cmk,
    inputs: cmkSchema,
    dir: "cmk",
    secrets: [],
    idFormat: "<region>:<keyId>",
    writeOnly: [],
  },
];

/** The resource of a URN (urn:pulumi:<stack>::<project>::[<parent type>$]<type>::<name>). */
export function resourceOfUrn(urn: string): PluginResource {
  const qualified = urn.split("::")[2] ?? "";
  const type = qualified.split("$").pop() ?? "";
  const r = RESOURCES.find((x) => x.token === type);
  if (!r) {
    throw new Error(
      `pulumi-resource-keylink has no resource type '${type}'; it serves ${RESOURCES.map((x) => x.token).join(", ")}.`,
    );
  }
  return r;
}
