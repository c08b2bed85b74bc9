// SPDX-License-Identifier: MIT
// ForgeToken: the ERC-20 implementation behind every EIP-1167 clone ForgeFactory creates.
// Optional behaviour (mint, burn, pause, permit) is switched per token by a feature bitmask
// fixed at initialize, so one implementation serves every launch and a clone stays cheap.
pragma solidity 0.8.37;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {TokenParams, ForgeFeatures} from "./TokenParams.sol";

contract ForgeToken is ERC20PermitUpgradeable, OwnableUpgradeable, PausableUpgradeable {
    error FeatureDisabled(uint8 feature);
    error CapExceeded(uint256 newSupply, uint256 cap);
    error InvalidFeatures(uint8 features);
    error InvalidCap(uint256 maxSupply);

    // Clones are never upgraded, so plain storage is safe here (the OZ parents use ERC-7201
    // namespaces and cannot collide with slot 0). All three share one slot so initialize pays
    // one 22k SSTORE for them instead of two or three; a cap of 2^240 base units is far beyond
    // any real supply, so narrowing it costs nothing.
    uint8 private _decimals;
    uint8 private _features;
    uint240 private _cap; // 0 = uncapped

    constructor() {
        // The implementation itself must never be initialized (someone could own it otherwise).
        _disableInitializers();
    }

    /// Called by the factory in the same transaction that creates the clone.
    function initialize(TokenParams calldata p) external initializer {
        if (p.features > ForgeFeatures.ALL) revert InvalidFeatures(p.features);
        if (p.maxSupply > type(uint240).max) revert InvalidCap(p.maxSupply);
        if (p.maxSupply != 0 && p.initialSupply > p.maxSupply) revert CapExceeded(p.initialSupply, p.maxSupply);

        __ERC20_init(p.name, p.symbol);
        // No __EIP712_init / __ERC20Permit_init: _EIP712Name/_EIP712Version are overridden below
        // to derive the domain from name() and the constant "1" — exactly what __ERC20Permit_init
        // would have stored — so the permit domain is correct without two extra storage slots.
        // No __Pausable_init either: it only writes `false` over a zero slot.
        __Ownable_init(p.owner); // reverts OwnableInvalidOwner(0) for a zero owner

        _decimals = p.decimals;
        _features = p.features;
        _cap = uint240(p.maxSupply);
        // _mint without its pause check: nothing can be paused yet, and skipping it saves a cold
        // SLOAD. The owner is non-zero (checked by __Ownable_init), which is all _mint adds.
        if (p.initialSupply != 0) ERC20Upgradeable._update(address(0), p.owner, p.initialSupply);
    }

    // ---- views ----

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// Feature bitmask: 1 mintable, 2 burnable, 4 pausable, 8 permit.
    function features() external view returns (uint8) {
        return _features;
    }

    /// Maximum total supply in base units; 0 = uncapped.
    function cap() external view returns (uint256) {
        return _cap;
    }

    // ---- optional features ----

    function mint(address to, uint256 amount) external onlyOwner {
        _requireFeature(ForgeFeatures.MINTABLE);
        uint256 c = _cap;
        if (c != 0) {
            uint256 newSupply = totalSupply() + amount;
            if (newSupply > c) revert CapExceeded(newSupply, c);
        }
        _mint(to, amount);
    }

    function burn(uint256 amount) external {
        _requireFeature(ForgeFeatures.BURNABLE);
        _burn(_msgSender(), amount);
    }

    function burnFrom(address account, uint256 amount) external {
        _requireFeature(ForgeFeatures.BURNABLE);
        _spendAllowance(account, _msgSender(), amount);
        _burn(account, amount);
    }

    function pause() external onlyOwner {
        _requireFeature(ForgeFeatures.PAUSABLE);
        _pause();
    }

    function unpause() external onlyOwner {
        _requireFeature(ForgeFeatures.PAUSABLE);
        _unpause();
    }

    /// EIP-2612, only when the permit feature is set.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) public override {
        _requireFeature(ForgeFeatures.PERMIT);
        super.permit(owner, spender, value, deadline, v, r, s);
    }

    // ---- internals ----

    /// Transfers, mints and burns are blocked while paused (only reachable when pausable).
    function _update(address from, address to, uint256 value) internal override whenNotPaused {
        super._update(from, to, value);
    }

    function _EIP712Name() internal view override returns (string memory) {
        return name();
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _requireFeature(uint8 feature) private view {
        if (_features & feature == 0) revert FeatureDisabled(feature);
    }
}
