// SPDX-License-Identifier: MIT
// ForgeFactoryV2: creates ForgeTokenV2 clones for launches paid by the creator's wallet or by the
// platform. The payer sends createToken itself with the platform fee as msg.value; the fee goes to
// the treasury in the same call, so a token is never created unpaid and a fee is never taken
// without a token. The platform's deployer accounts are fee-exempt (platform-paid launches are
// metered off chain, in credits). Deployed through the deterministic CREATE2 deployer with the
// owner as its only constructor argument, so with the same owner (a Safe at one address on every
// chain) it has one address everywhere, and no ownership transfer after deployment can be
// front-run. Fee, treasury, exempt set, metadata URI and pause belong to the owner. ForgeFactory
// (v1) and its tokens are untouched.
pragma solidity 0.8.37;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ForgeTokenV2} from "./ForgeTokenV2.sol";
import {TokenParams} from "./TokenParams.sol";

contract ForgeFactoryV2 is Ownable, Pausable {
    string public constant VERSION = "2";

    /// The ForgeTokenV2 every clone delegates to (CREATE from this factory, nonce 1).
    address public immutable implementation;

    // treasury and fee share one slot (createToken reads both with one SLOAD); the owner and the
    // paused flag share slot 0.
    address public treasury;
    uint96 public fee;
    mapping(address account => bool) public feeExempt;
    string public contractURIPrefix;
    string public contractURISuffix;

    event TokenCreated(bytes32 indexed launchId, address indexed token, address indexed payer, address owner, uint256 feePaid);
    event FeeChanged(uint256 previousFee, uint256 newFee);
    event TreasuryChanged(address previousTreasury, address newTreasury);
    event FeeExemptChanged(address indexed account, bool exempt);
    event ContractURIChanged(string prefix, string suffix);

    error NotPayer(address sender, address payer);
    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    error WrongFee(uint256 sent, uint256 due);
    error ZeroTreasury();
    error FeeTransferFailed();

    constructor(address initialOwner) Ownable(initialOwner) {
        implementation = address(new ForgeTokenV2());
    }

    /// Creates and initializes the token of one launch, paid by `payer`, who must send it: the same
    /// calldata from anyone else reverts, and the salt binds the address to the payer, the launch id
    /// and the parameters. After `deadline` (unix seconds) it reverts, so an unpaid launch can be
    /// declared expired once the deadline has passed. A second call with the same inputs reverts
    /// (the address already has code).
    function createToken(bytes32 launchId, TokenParams calldata p, address payer, uint256 deadline)
        external
        payable
        whenNotPaused
        returns (address token)
    {
        if (msg.sender != payer) revert NotPayer(msg.sender, payer);
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        uint256 due = feeExempt[msg.sender] ? 0 : fee;
        if (msg.value != due) revert WrongFee(msg.value, due);

        token = Clones.cloneDeterministic(implementation, _salt(msg.sender, launchId, p));
        ForgeTokenV2(token).initialize(p);
        emit TokenCreated(launchId, token, msg.sender, p.owner, due);

        if (due != 0) {
            // setFee refuses a fee without a treasury, so treasury is set here.
            (bool ok,) = treasury.call{value: due}("");
            if (!ok) revert FeeTransferFailed();
        }
    }

    function predictTokenAddress(address payer, bytes32 launchId, TokenParams calldata p) external view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _salt(payer, launchId, p), address(this));
    }

    // ---- owner ----

    /// A fee change invalidates open quotes (the platform watches FeeChanged).
    function setFee(uint96 newFee) external onlyOwner {
        if (newFee != 0 && treasury == address(0)) revert ZeroTreasury();
        emit FeeChanged(fee, newFee);
        fee = newFee;
    }

    function setTreasury(address newTreasury) external onlyOwner {
        if (newTreasury == address(0)) revert ZeroTreasury();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    function setFeeExempt(address account, bool exempt) external onlyOwner {
        feeExempt[account] = exempt;
        emit FeeExemptChanged(account, exempt);
    }

    function setContractURI(string calldata prefix, string calldata suffix) external onlyOwner {
        contractURIPrefix = prefix;
        contractURISuffix = suffix;
        emit ContractURIChanged(prefix, suffix);
    }

    /// Emergency stop: createToken reverts EnforcedPause() until unpause.
    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    function _salt(address payer, bytes32 launchId, TokenParams calldata p) private pure returns (bytes32) {
        return keccak256(abi.encode(payer, launchId, keccak256(abi.encode(p))));
    }
}
