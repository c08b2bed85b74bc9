// Bindings the tests read through `env` from "cloudflare:workers".
declare namespace Cloudflare {
  interface Env {
    TF_ENV: string;
    CHAIN_GATE: DurableObjectNamespace<import("../src/gate/chain-gate.do").ChainGate>;
    SIGNER: DurableObjectNamespace<import("../src/signer.do").Signer>;
    TEST_ANVIL_URL: string;
    TEST_PROXY_URL: string;
    BREAKER_COOLDOWN_MS: string;
    RPC_TIMEOUT_MS: string;
    DB: D1Database;
    SOLANA_FEE_PAYER_KEY: string;
    MINT_SEED_SECRET: string;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    LAUNCHES: Queue<import("@tokenforge/core").LaunchMessage>;
    CONFIRMATIONS: Queue<import("@tokenforge/core").ConfirmMessage>;
    WEBHOOK_EVENTS: Queue<import("@tokenforge/core/webhooks").WebhookEventMessage>;
    ANNOUNCEMENTS: Queue<import("@tokenforge/core/announce/messages").AnnounceMessage>;
  }
}
