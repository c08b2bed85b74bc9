// @tokenforge/sdk — a client of the TokenForge API for bots and agents.
export { createTokenForge, serverSentEvents, TokenForgeError } from "./client";
export type { BatchResult, Chain, ClientOptions, Launch, LaunchAccepted, LaunchRequest, Problem, Quote, Token, TokenForge, TokensQuery, WaitOptions } from "./client";
export { DEFAULT_RETRY, retryAfterMs, retryDelay, type RetryPolicy } from "./retry";
export { verifyWebhook, WebhookVerificationError, DEFAULT_TOLERANCE_SECONDS } from "./webhooks";
