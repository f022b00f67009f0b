// The floor stack's provider (index.ts): it echoes its inputs, and changes a VPN config in its gateway's turn,
// taking the gateway's update time and nothing else (one change at a time per gateway, as the cloud allows: the
// floor of a VPN change). The benchmark installs it compiled as the package keylink-bench-floor-echo in
// examples/node_modules, where npm installs pulumi-keylink (scripts/bench.ts installFloorProvider), so that
// state records it as a require() of that package, as it records the package's own providers (about 300 bytes
// per copy), and not by value: captured as code it took about 3.5 KB per copy, two copies per resource, which
// the engine then carried through every operation and the package's stack does not.
import { dynamicProvider, type ProviderModule } from "pulumi-keylink/dist/resources/common/stub.js";

type Props = Record<string, unknown>;

/** Each gateway's last change, which the next one waits for. */
const lastChange = new Map<string, Promise<void>>();

function changeInTurn(gateway: string, updateMs: number): Promise<void> {
  const turn = (lastChange.get(gateway) ?? Promise.resolve()).then(
    () => new Promise<void>((resolve) => setTimeout(resolve, updateMs)),
  );
  lastChange.set(gateway, turn);
  return turn;
}

const echo: ProviderModule = {
  configure: async () => undefined,
  check: async (_olds: Props, news: Props) => ({ inputs: news }),
  diff: async (_id: string, olds: Props, news: Props) => {
    const changed = Object.keys({ ...olds, ...news }).filter(
      (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    return { changes: changed.length > 0, replaces: [] };
  },
  create: async (inputs: Props) => ({ id: String(inputs.floorId), outs: inputs }),
  read: async (id: string, props: Props) => ({ id, props }),
  update: async (_id: string, _olds: Props, news: Props) => {
    if (typeof news.floorGateway === "string")
      await changeInTurn(news.floorGateway, Number(news.floorGatewayUpdateMs));
    return { outs: news };
  },
  destroy: async () => undefined,
};

export = dynamicProvider(() => echo);
