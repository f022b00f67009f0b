import { ConfigSource, setStackConfig } from "../../config";

/** Every provider's configure: keeps the stack configuration, from which settings are resolved at call time. */
export async function configure(config: ConfigSource): Promise<void> {
  setStackConfig(config);
}
