// Why the soak runner says a second `up` or `destroy` was needed (test/support/reliability/faults.ts): the error a
// resource reported, not the CLI's exit line.
import { failureReason } from "../../support/reliability/faults";

const failedUp = [
  "'pulumi up --yes --event-log /tmp/x/events-1.jsonl' exited with code 1",
  "Updating (reliability):",
  "  pulumi-nodejs:dynamic/keylink:Cmk (app-1):",
  "    error: Tencent Cloud CreateKey failed with RequestLimitExceeded: too many requests (request id r-1)",
  "error: update failed",
].join("\n");

it("names the first error a resource reported", () => {
  expect(failureReason(new Error(failedUp))).toBe(
    "error: Tencent Cloud CreateKey failed with RequestLimitExceeded: too many requests (request id r-1)",
  );
});

it("falls back to the message's first line when no resource reported an error", () => {
  const only = "'pulumi destroy --yes' exited with code 255\nerror: destroy failed";
  expect(failureReason(only)).toBe("'pulumi destroy --yes' exited with code 255");
});
