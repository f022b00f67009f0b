// The Python program examples/python (all five resources through the generated SDK sdk/python, the plugin from
// plugins.providers[].path) through the real CLI: see test/e2e/plugin-lifecycle.ts for the steps.
import { lifecycleSuite } from "./plugin-lifecycle";

lifecycleSuite("python");
