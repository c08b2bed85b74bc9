// The sign-in message a wallet signs. SIWS is core's createSiwsMessage, the code
// the API parses it with (packages/core/src/auth/siws.ts). SIWE (EIP-4361) is the
// same text with "Ethereum account" in the header, as viem's createSiweMessage
// writes it; built here so signing in does not pull viem into the page.
import { createSiwsMessage } from "@tokenforge/core/auth/siws";

const SOLANA_HEADER = " wants you to sign in with your Solana account:";
const ETHEREUM_HEADER = " wants you to sign in with your Ethereum account:";
/** Expiration Time minus Issued At: the API refuses the message after that. */
const VALID_FOR_MS = 10 * 60_000;

/** The message for this site, now. `address`: EIP-55 checksummed on EVM, base58 on Solana. */
export function signInMessage(family: "evm" | "solana", address: string, chainId: string | number, nonce: string): string {
  const issuedAt = new Date();
  const text = createSiwsMessage({
    domain: location.host, address, statement: "Sign in to TokenForge.", uri: location.origin, version: "1", chainId: String(chainId), nonce,
    issuedAt, expirationTime: new Date(issuedAt.getTime() + VALID_FOR_MS),
  });
  return family === "evm" ? text.replace(SOLANA_HEADER, ETHEREUM_HEADER) : text;
}
