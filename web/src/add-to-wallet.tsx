// "Add to wallet": EIP-747 wallet_watchAsset through the wallet this browser
// signed in with (or the only EVM wallet installed); the wallet code loads on click.
import { useState } from "preact/hooks";
import type { Chain } from "./api";

/** EIP-747 wallet_watchAsset through the wallet this browser signed in with (or the only one installed). */
export function AddToWallet({ chain, address, symbol, decimals, image }: { chain: Chain; address: string; symbol: string; decimals: number; image?: string | null }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" | "ok" | "error"; text?: string }>({ kind: "idle" });
  async function add() {
    setState({ kind: "busy" });
    try {
      const [{ findEvmWallet }, { watchAsset }] = await Promise.all([import("./wallet/active"), import("./wallet/evm")]);
      const w = await findEvmWallet();
      if (!w) {
        setState({ kind: "error", text: "No EVM wallet found in this browser." });
        return;
      }
      const ok = await watchAsset(w, chain, { address, symbol, decimals, image });
      setState(ok ? { kind: "ok", text: `${symbol} was added to ${w.info.name}.` } : { kind: "error", text: "The wallet did not add the token." });
    } catch (e) {
      const code = (e as { code?: number }).code;
      setState({ kind: "error", text: code === 4001 ? "You declined in your wallet." : (e as Error).message || String(e) });
    }
  }
  return (
    <>
      <button type="button" class="secondary" onClick={add} disabled={state.kind === "busy"} data-testid="add-to-wallet">
        {state.kind === "busy" ? "Asking your wallet…" : "Add to wallet"}
      </button>
      <span role="status" class={state.kind === "error" ? "error inline" : "hint inline"} data-testid="add-to-wallet-status">{state.text ?? ""}</span>
    </>
  );
}
