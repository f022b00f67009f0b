// The Pulumi YAML stack examples/yaml (all five resources from Pulumi.yaml alone, the plugin from
// plugins.providers[].path) through the real CLI: see test/e2e/plugin-lifecycle.ts for the steps.
import { lifecycleSuite } from "./plugin-lifecycle";

lifecycleSuite("yaml");
