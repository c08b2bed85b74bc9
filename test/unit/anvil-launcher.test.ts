// The one anvil launcher: a port another process took between our probe and
// anvil's bind (many platforms start at once in the suite) costs a retry on
// another port, not a failed test file; a port the caller chose is not changed.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "../../tools/free-port";
import { rpc, runAnvil } from "../../tools/chains/anvil";

let taken: Server;
let takenPort: number;

beforeAll(async () => {
  taken = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

it("takes another free port when the one it picked is taken before anvil binds it", async () => {
  const picks = [takenPort];
  const node = await runAnvil({ pickPort: async () => picks.shift() ?? freePort() });
  try {
    expect(node.port).not.toBe(takenPort);
    expect(await rpc(node.rpcUrl, "eth_chainId", [])).toBe("0x7a69");
  } finally {
    await node.stop();
  }
});

it("does not move off a port the caller chose", async () => {
  await expect(runAnvil({ port: takenPort })).rejects.toThrow(/Address already in use/);
});
