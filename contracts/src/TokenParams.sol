// SPDX-License-Identifier: MIT
// Launch parameters shared by ForgeFactory (salt, prediction) and ForgeToken (initialize).
// The TypeScript mirror is packages/core/src/evm/token-address.ts: the factory salt hashes
// abi.encode(TokenParams), so field order and types here are part of the address derivation.
pragma solidity 0.8.37;

struct TokenParams {
    string name;
    string symbol;
    uint8 decimals;
    address owner;
    uint256 initialSupply; // base units (already scaled by 10^decimals), minted to owner
    uint256 maxSupply; // base units; 0 = uncapped
    uint8 features; // bitmask, see ForgeFeatures
}

/// Feature bits of TokenParams.features.
library ForgeFeatures {
    uint8 internal constant MINTABLE = 1;
    uint8 internal constant BURNABLE = 2;
    uint8 internal constant PAUSABLE = 4;
    uint8 internal constant PERMIT = 8;
    uint8 internal constant ALL = 15;
}
