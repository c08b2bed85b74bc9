// Sign-in messages: EIP-4361 (SIWE) text exactly as viem's createSiweMessage
// writes it, and its Solana twin (SIWS: "Solana account" in the header, a base58
// address), as packages/core/src/auth/siws.ts parses it. Written out here so
// signing in does not pull viem into the page.

export type SignInFields = {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  chainId: string | number;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
};

function build(account: "Ethereum" | "Solana", f: SignInFields): string {
  const lines = [`${f.domain} wants you to sign in with your ${account} account:`, f.address, ""];
  if (f.statement) lines.push(f.statement, "");
  lines.push(`URI: ${f.uri}`, "Version: 1", `Chain ID: ${f.chainId}`, `Nonce: ${f.nonce}`, `Issued At: ${f.issuedAt.toISOString()}`);
  if (f.expirationTime) lines.push(`Expiration Time: ${f.expirationTime.toISOString()}`);
  return lines.join("\n");
}

/** EIP-4361; `address` must already be EIP-55 checksummed. */
export const siweMessage = (f: SignInFields) => build("Ethereum", f);
export const siwsMessage = (f: SignInFields) => build("Solana", f);

export const SIGN_IN_STATEMENT = "Sign in to TokenForge.";
