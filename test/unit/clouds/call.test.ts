import { createServer } from "node:net";
import { AddressInfo } from "node:net";
import { compact, networkError, retrying } from "../../../src/clouds/call";
import { CloudError } from "../../../src/clouds/errors";
import { registerSecrets } from "../../../src/clouds/secrets";

const ENDPOINT = "http://127.0.0.1:4577";

/** What httpx (pop-core) throws when nothing listens: the whole signed GET URL is in the message. */
function popCoreRefused(): Error {
  const e = new Error(
    "connect ECONNREFUSED 127.0.0.1:4577GET http://127.0.0.1:4577/?AccessKeyId=test&Action=DescribeVpnGateway" +
      "&Cak=0123456789abcdef0123456789abcdef&Signature=abc%3D failed.",
  ) as Error & { code: string };
  e.code = "ECONNREFUSED";
  return e;
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("networkError", () => {
  it("ECONNREFUSED is fatal, with a hint naming the endpoint and what to start", () => {
    const e = networkError("alibaba", "DescribeVpnGateway", ENDPOINT, popCoreRefused());
    expect(e).toBeInstanceOf(CloudError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.errorClass).toBe("fatal");
    expect(e.message).toContain(`Nothing answers at ${ENDPOINT}`);
    expect(e.message).toContain("npx keylink-emulator");
    expect(e.message).toContain("keylink:target");
    // A refresh after a change of settings meets the settings of the last up (Pulumi records them in state).
    expect(e.message).toContain(
      "'pulumi refresh' and 'pulumi destroy' use the settings recorded at the last",
    );
    expect(e.message).toContain("--run-program");
  });

  it("keeps no URL query (signature, access key, business secrets) in the message", () => {
    const e = networkError("alibaba", "DescribeVpnGateway", ENDPOINT, popCoreRefused());
    expect(e.message).not.toMatch(/\?|Signature|AccessKeyId|Cak|0123456789abcdef/);
    expect(e.cloudMessage).toBe("connect ECONNREFUSED 127.0.0.1:4577");
  });

  it("redacts registered secrets and keeps only the first line", () => {
    registerSecrets("s3cr3t-psk-value");
    const e = networkError(
      "tencent",
      "CreateKey",
      ENDPOINT,
      Object.assign(new Error("read ECONNRESET near s3cr3t-psk-value\n    at Socket.onread"), {
        code: "ECONNRESET",
      }),
    );
    expect(e.cloudMessage).toBe("read ECONNRESET near [secret]");
  });

  it.each([
    [{ code: "ECONNRESET", message: "socket hang up" }, "ECONNRESET", "transient"],
    [{ code: "ETIMEDOUT", message: "connect ETIMEDOUT 10.0.0.1:443" }, "ETIMEDOUT", "transient"],
    [{ code: "EPIPE", message: "write EPIPE" }, "EPIPE", "transient"],
    [
      { code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN kms.cn-beijing.volcengineapi.com" },
      "EAI_AGAIN",
      "transient",
    ],
    // axios on its own timeout
    [{ code: "ECONNABORTED", message: "timeout of 30000ms exceeded" }, "ECONNABORTED", "transient"],
    // httpx (pop-core) timeout
    [
      { name: "RequestTimeoutError", message: "ReadTimeout(30000). POST http://x/ failed." },
      "RequestTimeout",
      "transient",
    ],
    // tencentcloud-sdk-nodejs-common re-wraps node-fetch errors with the message only
    [
      { message: "request to http://127.0.0.1:1/ failed, reason: read ECONNRESET" },
      "ECONNRESET",
      "transient",
    ],
    [
      { message: "request to http://127.0.0.1:1/ failed, reason: connect ECONNREFUSED 127.0.0.1:1" },
      "ECONNREFUSED",
      "fatal",
    ],
    [
      { name: "TimeoutError", message: "The operation was aborted due to timeout" },
      "RequestTimeout",
      "transient",
    ],
  ])("%j → %s (%s)", (raw, code, errorClass) => {
    const e = networkError("volcengine", "DescribeKey", ENDPOINT, Object.assign(new Error(raw.message), raw));
    expect(e.code).toBe(code);
    expect(e.errorClass).toBe(errorClass);
    expect(e.message).toContain(code);
  });

  it.each([
    // node-fetch inside tencentcloud-sdk-nodejs-common: the SDK keeps only the message
    [new Error("request to http://127.0.0.1:1/ failed, reason: socket hang up")],
    // Node's fetch (undici): "fetch failed" caused by a SocketError
    [
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      }),
    ],
  ])("a connection dropped mid-request is a transient ECONNRESET (%s)", (raw) => {
    const e = networkError("tencent", "ListKeys", ENDPOINT, raw);
    expect(e.code).toBe("ECONNRESET");
    expect(e.errorClass).toBe("transient");
  });

  it("a non-JSON answer (e.g. an HTML 502 from a proxy) is a transient MalformedResponse", () => {
    const e = networkError("alibaba", "DescribeVpnGateway", ENDPOINT, new SyntaxError("Unexpected '<'"));
    expect(e.code).toBe("MalformedResponse");
    expect(e.errorClass).toBe("transient");
  });

  it("an unrecognised failure is not retried", () => {
    const e = networkError("alibaba", "DescribeVpnGateway", ENDPOINT, "weird");
    expect(e.code).toBe("NetworkError");
    expect(e.errorClass).toBe("fatal");
  });

  it("passes a CloudError through unchanged", () => {
    const original = new CloudError({ cloud: "tencent", action: "A", code: "InternalError", message: "m" });
    expect(networkError("tencent", "A", ENDPOINT, original)).toBe(original);
  });

  it("recognises a refused connection from Node's fetch (code on err.cause), as the legacy client sees it", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const raw = await fetch(`${url}/v2/index.php?SecretId=test&Signature=abc`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(raw).toBeDefined();
    const e = networkError("tencent", "DescribeKey", url, raw);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.errorClass).toBe("fatal");
    expect(e.message).toContain(`Nothing answers at ${url}`);
    expect(e.message).not.toContain("Signature");
  });
});

describe("retrying", () => {
  it("with retry: false makes exactly one attempt", async () => {
    let attempts = 0;
    const p = retrying(
      async () => {
        attempts++;
        throw new CloudError({ cloud: "alibaba", action: "A", code: "Throttling.User", message: "" });
      },
      { retry: false },
    );
    await expect(p).rejects.toMatchObject({ code: "Throttling.User", errorClass: "throttled" });
    expect(attempts).toBe(1);
  });

  it("returns the first success", async () => {
    await expect(retrying(async () => 42, undefined)).resolves.toBe(42);
  });
});

describe("compact", () => {
  it("drops undefined and null only", () => {
    expect(compact({ a: undefined, b: null, c: 0, d: false, e: "", f: [], g: { h: undefined } })).toEqual({
      c: 0,
      d: false,
      e: "",
      f: [],
      g: { h: undefined },
    });
  });
});
