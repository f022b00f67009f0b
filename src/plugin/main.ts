#!/usr/bin/env node
// pulumi-resource-keylink: the Pulumi resource provider plugin serving the keylink resources to every Pulumi
// language (YAML, Python, Go, .NET, and Node.js programs that do not use the dynamic resources). The engine
// starts it and speaks gRPC to it; see README "Using it from YAML, Python and other languages".
import * as fs from "node:fs";
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import { setStackConfig } from "../config";
import { installConfigureShim } from "./configure-shim";
import { installImportShim } from "./import-shim";
import { PACKAGE_ROOT, keylinkProvider } from "./provider";
import { sendWarningsToEngine } from "../resources/common/warn";

installImportShim();
installConfigureShim(setStackConfig);
// The engine starts a plugin with its own address (host:port, beside flags such as -v=N); warnings go there, to
// show as the CLI's warnings rather than as the plugin's stderr text.
const engineAddress = process.argv.slice(2).find((a) => /^[\w.-]+:\d+$/.test(a));
if (engineAddress) sendWarningsToEngine(engineAddress);
const schema = fs.readFileSync(path.join(PACKAGE_ROOT, "schema.json"), "utf8");
void provider.main(keylinkProvider(schema), process.argv.slice(2));
