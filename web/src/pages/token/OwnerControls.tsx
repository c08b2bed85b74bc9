// What the token's owner can still do, for the owner's connected wallet only:
// renounce ownership, mint, pause/unpause (EVM); revoke the mint or freeze
// authority (Solana). Renounce and revoke cannot be undone, so they ask the user
// to type the token's symbol before the wallet is asked to sign. After the chain
// has the transaction the page reads the chain again and asks the API to refresh
// its chain state (the safety summary). Its own chunk: it brings viem and kit.
import { useState } from "preact/hooks";
import { request, type Chain } from "../../api";
import type { TokenFacts } from "../../lib/chain-read";
import { sendOwnerAction, waitOnChain, type OwnerAction } from "../../wallet/owner-tx";

type Props = { chain: Chain; address: string; symbol: string; decimals: number; facts: TokenFacts; wallet: string; onChanged: () => void };
type Offer = { action: OwnerAction; label: string; what: string; destructive: boolean };
type Step = { kind: "idle" } | { kind: "busy"; text: string } | { kind: "done"; text: string } | { kind: "error"; text: string };

const same = (a: string | null | undefined, b: string) => !!a && (b.startsWith("0x") ? a.toLowerCase() === b.toLowerCase() : a === b);

/** The actions this wallet may take on this token, from what the chain says now. */
export function ownerOffers(family: "evm" | "solana", facts: TokenFacts, wallet: string): Offer[] {
  if (family === "solana") {
    return [
      ...(same(facts.owner, wallet) ? [{ action: { kind: "revokeMint" } as OwnerAction, label: "Revoke mint authority", what: "Nobody can ever mint more: the supply is fixed.", destructive: true }] : []),
      ...(same(facts.freezeAuthority, wallet) ? [{ action: { kind: "revokeFreeze" } as OwnerAction, label: "Revoke freeze authority", what: "Nobody can ever freeze a holder's account.", destructive: true }] : []),
    ];
  }
  if (!same(facts.owner, wallet)) return [];
  const offers: Offer[] = [];
  if (facts.features.pausable) {
    offers.push(facts.paused
      ? { action: { kind: "unpause" }, label: "Unpause transfers", what: "Holders can transfer again.", destructive: false }
      : { action: { kind: "pause" }, label: "Pause transfers", what: "Stops every transfer until you unpause.", destructive: false });
  }
  offers.push({ action: { kind: "renounce" }, label: "Renounce ownership", what: "Gives up every owner power for ever: no mint, no pause, no unpause.", destructive: true });
  return offers;
}

export default function OwnerControls(props: Props) {
  const offers = ownerOffers(props.chain.family, props.facts, props.wallet);
  const [confirming, setConfirming] = useState<Offer | null>(null);
  const { step, run } = useOwnerSend(props);
  const busy = step.kind === "busy";
  const canMint = props.chain.family === "evm" && !!props.facts.features.mintable && same(props.facts.owner, props.wallet);
  if (offers.length === 0 && !canMint && step.kind === "idle") return null;
  return (
    <section aria-labelledby="owner-title" class="card" data-testid="owner-controls">
      <h2 id="owner-title">Owner controls</h2>
      <p class="hint">{offers.length || canMint ? "Your wallet controls this token. Each action is a transaction your wallet signs." : "Your wallet no longer controls this token."}</p>
      {canMint && <MintForm {...props} busy={busy} onMint={(amount) => run({ kind: "mint", to: props.wallet, amount, decimals: props.decimals }, `Mint ${amount} ${props.symbol}`)} />}
      <ul class="owner-actions">
        {offers.map((o) => (
          <li key={o.action.kind}>
            <button type="button" class={o.destructive ? "danger" : "secondary"} disabled={busy} data-testid={`owner-${o.action.kind}`}
              onClick={() => (o.destructive ? setConfirming(o) : run(o.action, o.label))}>{o.label}</button>
            <span class="hint block">{o.what}</span>
          </li>
        ))}
      </ul>
      {confirming && <TypedConfirm offer={confirming} symbol={props.symbol} onCancel={() => setConfirming(null)} onConfirm={() => (setConfirming(null), run(confirming.action, confirming.label))} />}
      <p role="status" aria-live="polite" data-testid="owner-status" class={step.kind === "error" ? "error" : "hint"}>{step.kind === "idle" ? "" : step.text}</p>
    </section>
  );
}

/** Sends, waits for the chain, then refreshes the page's view and the API's chain state. */
function useOwnerSend({ chain, address, wallet, onChanged }: Props) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  async function run(action: OwnerAction, label: string) {
    try {
      setStep({ kind: "busy", text: `${label}: confirm in your wallet…` });
      const id = await sendOwnerAction(chain, address, wallet, action);
      setStep({ kind: "busy", text: `${label}: sent, waiting for ${chain.name}…` });
      await waitOnChain(chain, id);
      setStep({ kind: "busy", text: `${label}: done on chain; updating the safety summary…` });
      await request(`/tokens/${encodeURIComponent(chain.id)}/${encodeURIComponent(address)}/refresh`, { method: "POST" }).catch(() => undefined);
      onChanged();
      setStep({ kind: "done", text: `${label}: done.` });
    } catch (e) {
      setStep({ kind: "error", text: `${label} did not happen: ${(e as Error).message}` });
    }
  }
  return { step, run };
}

function TypedConfirm({ offer, symbol, onCancel, onConfirm }: { offer: Offer; symbol: string; onCancel: () => void; onConfirm: () => void }) {
  const [typed, setTyped] = useState("");
  const ok = typed.trim() === symbol;
  return (
    <form class="notice" data-testid="owner-confirm" onSubmit={(e) => (e.preventDefault(), ok && onConfirm())}>
      <p><strong>{offer.label} cannot be undone.</strong> {offer.what}</p>
      <label>
        Type <code>{symbol}</code> to confirm
        <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" spellcheck={false} data-testid="owner-confirm-input" />
      </label>
      <p class="actions">
        <button type="submit" class="danger" disabled={!ok} data-testid="owner-confirm-submit">{offer.label}</button>
        <button type="button" class="secondary" onClick={onCancel}>Cancel</button>
      </p>
    </form>
  );
}

function MintForm({ symbol, facts, decimals, busy, onMint }: Props & { busy: boolean; onMint: (amount: string) => void }) {
  const [amount, setAmount] = useState("");
  const valid = /^\d+(\.\d+)?$/.test(amount) && Number(amount) > 0 && (amount.split(".")[1]?.length ?? 0) <= decimals;
  const cap = facts.cap !== null ? ` The cap is enforced by the contract.` : "";
  return (
    <form class="mint-form" onSubmit={(e) => (e.preventDefault(), valid && onMint(amount))}>
      <label>
        Mint to your wallet ({symbol})
        <input inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} data-testid="owner-mint-amount" />
      </label>
      <button type="submit" class="secondary" disabled={busy || !valid} data-testid="owner-mint">Mint</button>
      <span class="hint block">New tokens go to your wallet.{cap}</span>
    </form>
  );
}
