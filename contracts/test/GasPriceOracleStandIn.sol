// SPDX-License-Identifier: MIT
// A stand-in for the OP-stack GasPriceOracle predeploy (0x420000000000000000000000000000000000000F)
// for local tests only: anvil_setCode puts its runtime code at the predeploy's address. getL1Fee
// prices the transaction bytes as calldata gas (4 per zero byte, 16 per other byte, plus 68
// non-zero bytes for the signature the unsigned form lacks) at a fixed L1 price, so a test can
// recompute the fee exactly from the bytes it expects the quote to send.
pragma solidity 0.8.37;

contract GasPriceOracleStandIn {
    uint256 public constant L1_BASE_FEE = 7 gwei;

    function getL1Fee(bytes calldata data) external pure returns (uint256) {
        uint256 gas = 68 * 16;
        for (uint256 i = 0; i < data.length; i++) {
            gas += data[i] == 0 ? 4 : 16;
        }
        return gas * L1_BASE_FEE;
    }
}
