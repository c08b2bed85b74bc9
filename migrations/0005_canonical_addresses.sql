-- EVM wallets are stored in EIP-55 form from now on; rows written before were
-- lower-case. SQLite has no keccak, so the rows are rewritten by sign-in as it
-- finds them (wallet-signin.ts) and answered in EIP-55 form meanwhile; this index
-- keeps one account per wallet whatever the casing.
CREATE UNIQUE INDEX `users_evm_wallet` ON `users` (lower("wallet_address")) WHERE "users"."wallet_address" LIKE '0x%';