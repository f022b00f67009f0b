// The provider object of this resource's dynamic resources (see ../common/stub.ts): state records it as a
// require() of this module, and it loads ./provider on the first operation.
import { dynamicProvider, type ProviderModule } from "../common/stub";

export = dynamicProvider(() => require("./provider") as ProviderModule);
