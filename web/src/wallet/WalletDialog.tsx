// The sign-in dialog: every wallet the browser has, EVM (EIP-6963) and Solana
// (Wallet Standard), by name and icon; connect, sign the sign-in message, done.
// A native <dialog> opened with showModal(): focus moves in, Escape closes, the
// page behind is inert.
import { useEffect, useRef, useState } from "preact/hooks";
import { asApiError } from "../api";
import { closeSignIn, loadSession, rememberWallet, walletStore } from "../session";
import { useStore } from "../store";
import { setActiveEvm } from "./active";
import { connectEvm, discoverEvmWallets, evmWallets, signInWithEvm, type EvmWallet } from "./evm";
import { connectSolana, discoverSolanaWallets, signInWithSolana, solanaWallets, type StandardWallet } from "./solana";

type Step = { kind: "idle" } | { kind: "busy"; text: string } | { kind: "error"; text: string };

/** Wallet icons must be data: images (EIP-6963); anything else is not loaded. */
const safeIcon = (icon: string | undefined) => (icon && /^data:image\/(svg\+xml|png|webp|jpeg|gif)[;,]/i.test(icon) ? icon : null);

export default function WalletDialog({ reason }: { reason?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const evm = useStore(evmWallets);
  const sol = useStore(solanaWallets);
  const [searching, setSearching] = useState(true);
  const { step, pickEvm, pickSolana } = useWalletSignIn(() => ref.current?.close());

  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    discoverEvmWallets();
    discoverSolanaWallets();
    const t = setTimeout(() => setSearching(false), 500);
    return () => clearTimeout(t);
  }, []);

  const busy = step.kind === "busy";
  const none = !searching && evm.length === 0 && sol.length === 0;

  return (
    <dialog ref={ref} class="dialog" aria-labelledby="wallet-title" onClose={closeSignIn}>
      <div class="dialog-head">
        <h2 id="wallet-title">Sign in with a wallet</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={() => ref.current?.close()}>×</button>
      </div>
      {reason && <p class="hint">{reason}</p>}
      <WalletGroup title="Ethereum and EVM chains" busy={busy} choices={evm.map((w) => ({ key: w.info.uuid, name: w.info.name, icon: safeIcon(w.info.icon), testid: `wallet-${w.info.rdns}`, pick: () => pickEvm(w) }))} />
      <WalletGroup title="Solana" busy={busy} choices={sol.map((w) => ({ key: w.name, name: w.name, icon: safeIcon(w.icon), testid: `wallet-${w.name}`, pick: () => pickSolana(w) }))} />
      {searching && evm.length === 0 && sol.length === 0 && <p class="hint">Looking for wallets…</p>}
      {none && (
        <div class="notice">
          <p><strong>No wallet found in this browser.</strong></p>
          <p>
            Install a wallet extension — MetaMask, Rabby or Coinbase Wallet for EVM chains, Phantom, Solflare or Backpack for
            Solana — then reload this page. You can still explore tokens without one; scripts can launch with an API key.
          </p>
        </div>
      )}
      <p role="status" aria-live="polite" class={step.kind === "error" ? "error" : "hint"}>
        {step.kind !== "idle" ? step.text : ""}
      </p>
    </dialog>
  );
}

/** Connecting a wallet and signing the sign-in message with it, then the session; `close`: the dialog, once signed in. */
function useWalletSignIn(close: () => void) {
  const [step, setStep] = useState<Step>({ kind: "idle" });

  async function run(name: string, fn: () => Promise<void>) {
    try {
      setStep({ kind: "busy", text: `Connecting to ${name}…` });
      await fn();
      await loadSession(true);
      close();
    } catch (e) {
      const code = (e as { code?: number }).code;
      const text = code === 4001 ? "You declined the request in your wallet." : asApiError(e).detail ?? asApiError(e).message;
      setStep({ kind: "error", text: `Could not sign in with ${name}: ${text}` });
    }
  }

  const pickEvm = (w: EvmWallet) =>
    run(w.info.name, async () => {
      const { address, chainId } = await connectEvm(w);
      setStep({ kind: "busy", text: `Sign the message in ${w.info.name} to sign in…` });
      await signInWithEvm(w, address, chainId);
      setActiveEvm(w);
      const id = w.info.rdns || w.info.uuid;
      walletStore.set({ family: "evm", id, name: w.info.name, icon: safeIcon(w.info.icon), address, chainId });
      rememberWallet({ family: "evm", id });
    });

  const pickSolana = (w: StandardWallet) =>
    run(w.name, async () => {
      const account = await connectSolana(w);
      setStep({ kind: "busy", text: `Sign the message in ${w.name} to sign in…` });
      await signInWithSolana(w, account);
      walletStore.set({ family: "solana", id: w.name, name: w.name, icon: safeIcon(w.icon), address: account.address });
      rememberWallet({ family: "solana", id: w.name });
    });

  return { step, pickEvm, pickSolana };
}

type Choice = { key: string; name: string; icon: string | null; testid: string; pick: () => void };

function WalletGroup({ title, choices, busy }: { title: string; choices: Choice[]; busy: boolean }) {
  if (choices.length === 0) return null;
  return (
    <>
      <h3 class="wallet-group">{title}</h3>
      <ul class="wallets">
        {choices.map((c) => (
          <li key={c.key}>
            <button type="button" class="wallet" disabled={busy} onClick={c.pick} data-testid={c.testid}>
              <WalletIcon src={c.icon} />
              <span>{c.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function WalletIcon({ src }: { src: string | null }) {
  return src ? <img src={src} alt="" width={28} height={28} /> : <span class="wallet-fallback" aria-hidden="true" />;
}
