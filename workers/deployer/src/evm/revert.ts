// Names a revert. Nodes answer a reverting call with the raw error data
// ("execution reverted: custom error 0xb06ebf3d"); the factory's and token's
// ABIs turn it into FailedDeployment() or CapExceeded(…), which is what a
// launch's error should say. Pure: works on the classified message, so it
// applies wherever the error was classified (the Signer returns messages, not errors).
import { decodeErrorResult, type Hex } from "viem";
import { forgeFactoryAbi, forgeFactoryV2Abi, forgeTokenAbi, forgeTokenV2Abi } from "@tokenforge/core/contracts/artifacts";
import type { ErrorKind } from "../errors";

const ABI = [...forgeFactoryAbi, ...forgeTokenAbi, ...forgeFactoryV2Abi.filter((x) => x.type === "error"), ...forgeTokenV2Abi.filter((x) => x.type === "error")];

/** The classified error with its custom error decoded, when it is a revert whose selector the ABIs know. */
export function withRevertReason<C extends { kind: ErrorKind; message: string }>(c: C): C {
  if (c.kind !== "revert") return c;
  const m = /custom error (0x[0-9a-f]{8})(?:[:\s]*(?:0x)?([0-9a-f]*))?/i.exec(c.message);
  if (!m) return c;
  try {
    const { errorName, args } = decodeErrorResult({ abi: ABI, data: `${m[1]}${m[2] ?? ""}` as Hex });
    const shown = (args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : JSON.stringify(a))).join(", ");
    return { ...c, message: `execution reverted: ${errorName}(${shown}) [${m[1]}]` };
  } catch {
    return c; // a selector the ABIs do not know: keep the node's words
  }
}
