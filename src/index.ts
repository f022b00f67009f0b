// pulumi-keylink: Pulumi dynamic resources for the keys that protect links and data on Alibaba Cloud,
// Volcengine and Tencent Cloud. The local cloud emulator is exported separately as "pulumi-keylink/emulator".
export * from "./resources/macsec-key-association";
export * from "./resources/vpn-connection-config";
export * from "./resources/imported-key-material";
export * from "./resources/replica-key";
export * from "./resources/cmk";
export { CloudError, ErrorClass, CloudName } from "./clouds/errors";
export { ConfigurationError } from "./config";
