// The api Worker's Durable Objects as a stand-in Worker named like the api (the
// script_name of the deployer's and the cron's LEDGER / PLATFORM_SPEND bindings),
// for the workerd test projects of those two Workers. No Worker imports another's
// source, so their tests bind this instead of the real api.
// - Ledger records the commands it gets and answers every capture or refund as
//   done, so tests see what the settlers asked for.
// - PlatformSpend answers "nothing spent"; the spend alert's e2e test uses the real one.
export const API_STAND_IN = {
  name: "tokenforge-api",
  modules: true,
  compatibilityDate: "2026-04-20",
  durableObjects: { LEDGER: { className: "Ledger", useSQLite: true }, PLATFORM_SPEND: { className: "PlatformSpend", useSQLite: true } },
  script: `import { DurableObject } from "cloudflare:workers";
    export class Ledger extends DurableObject {
      async command(userId, cmd) {
        const log = (await this.ctx.storage.get("log")) ?? [];
        log.push({ userId, ...cmd });
        await this.ctx.storage.put("log", log);
        return { ok: true, duplicate: false, balance: { available: "0", reserved: "0" }, reservation: { n: cmd.reservation ?? 1, chain: "x", amount: "1", closed: cmd.kind } };
      }
      async commands() { return (await this.ctx.storage.get("log")) ?? []; }
      async snapshot() { return { balances: {}, entries: [] }; }
    }
    export class PlatformSpend extends DurableObject {
      async spentToday() { return "0"; }
    }
    export default { fetch: () => new Response("stand-in") };`,
};
