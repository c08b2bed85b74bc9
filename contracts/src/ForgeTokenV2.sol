// SPDX-License-Identifier: MIT
// ForgeTokenV2: the ERC-20 behind every clone ForgeFactoryV2 creates. Same storage, features and
// gas profile as ForgeToken (v1), with two changes wallets and scanners asked for:
// - a token without the permit feature does not answer DOMAIN_SEPARATOR() or nonces(), so an
//   EIP-2612 probe sees the truth (v1 answered them and only refused permit() itself);
// - ERC-7572 contractURI(): built from the factory's URI prefix/suffix and this token's address,
//   a view with no per-token storage (the factory's owner moves every token's metadata at once).
// Permit is written here on OpenZeppelin's EIP712/Nonces/ECDSA because ERC20Permit's
// DOMAIN_SEPARATOR() is not virtual and could not be switched off per token.
pragma solidity 0.8.37;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {OwnableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/OwnableUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {TokenParams, ForgeFeatures} from "./TokenParams.sol";

/// What a token asks its factory to build contractURI().
interface IContractURISource {
    function contractURIPrefix() external view returns (string memory);
    function contractURISuffix() external view returns (string memory);
}

contract ForgeTokenV2 is ERC20Upgradeable, EIP712Upgradeable, NoncesUpgradeable, OwnableUpgradeable, PausableUpgradeable {
    error FeatureDisabled(uint8 feature);
    error CapExceeded(uint256 newSupply, uint256 cap);
    error InvalidFeatures(uint8 features);
    error InvalidCap(uint256 maxSupply);
    error ERC2612ExpiredSignature(uint256 deadline);
    error ERC2612InvalidSigner(address signer, address owner);

    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// The factory that created the implementation (and so every clone of it): an immutable in
    /// the implementation's code, read by clones through delegatecall without a storage slot.
    address public immutable factory;

    // One slot for all three, as in v1 (one 22k SSTORE at initialize).
    uint8 private _decimals;
    uint8 private _features;
    uint240 private _cap; // 0 = uncapped

    constructor() {
        factory = msg.sender;
        _disableInitializers();
    }

    /// Called by the factory in the same transaction that creates the clone.
    function initialize(TokenParams calldata p) external initializer {
        if (p.features > ForgeFeatures.ALL) revert InvalidFeatures(p.features);
        if (p.maxSupply > type(uint240).max) revert InvalidCap(p.maxSupply);
        if (p.maxSupply != 0 && p.initialSupply > p.maxSupply) revert CapExceeded(p.initialSupply, p.maxSupply);

        __ERC20_init(p.name, p.symbol);
        // No __EIP712_init: _EIP712Name/_EIP712Version below derive the domain from name() and
        // "1", so the permit domain is right without two more storage slots. No __Pausable_init:
        // it only writes false over a zero slot.
        __Ownable_init(p.owner); // reverts OwnableInvalidOwner(0) for a zero owner

        _decimals = p.decimals;
        _features = p.features;
        _cap = uint240(p.maxSupply);
        // Nothing can be paused yet and the owner is non-zero: mint without those checks.
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

    /// ERC-7572 contract-level metadata: the factory's prefix, this token's checksummed address,
    /// the factory's suffix (e.g. https://…/tokens/base/0xAbC…/metadata.json).
    function contractURI() external view returns (string memory) {
        IContractURISource source = IContractURISource(factory);
        return string.concat(source.contractURIPrefix(), Strings.toChecksumHexString(address(this)), source.contractURISuffix());
    }

    // ---- EIP-2612, only with the permit feature ----

    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        _requireFeature(ForgeFeatures.PERMIT);
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline));
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), v, r, s);
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        _approve(owner, spender, value);
    }

    function nonces(address owner) public view override returns (uint256) {
        _requireFeature(ForgeFeatures.PERMIT);
        return super.nonces(owner);
    }

    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        _requireFeature(ForgeFeatures.PERMIT);
        return _domainSeparatorV4();
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
