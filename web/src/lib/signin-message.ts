// Sign-in messages. SIWS (the Solana twin: "Solana account" in the header, a
// base58 address) is core's createSiwsMessage, the same code the API parses
// with (packages/core/src/auth/siws.ts). SIWE is the EIP-4361 text exactly as
// viem's createSiweMessage writes it, written out here so signing in does not
// pull viem into the page.
export { createSiwsMessage } from "@tokenforge/core/auth/siws";

export type SiweFields = {
  domain: string;
  /** EIP-55 checksummed */
  address: string;
  statement: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
};

export function siweMessage(f: SiweFields): string {
  const lines = [`${f.domain} wants you to sign in with your Ethereum account:`, f.address, ""];
  if (f.statement) lines.push(f.statement, "");
  lines.push(`URI: ${f.uri}`, "Version: 1", `Chain ID: ${f.chainId}`, `Nonce: ${f.nonce}`, `Issued At: ${f.issuedAt.toISOString()}`);
  if (f.expirationTime) lines.push(`Expiration Time: ${f.expirationTime.toISOString()}`);
  return lines.join("\n");
}

export const SIGN_IN_STATEMENT = "Sign in to TokenForge.";
