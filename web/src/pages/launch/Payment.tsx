// Paying for a wallet-paid launch from its page: the wallet sends (EVM) or signs
// (Solana) the transaction the API prepared, the API is told at once so it looks
// for the payment now, and the page shows where it stands until the launch
// confirms or its payment window closes. Declining in the wallet charges nothing
// and can be retried as long as the window is open.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, freshSolanaTransaction, reportPayment, type Chain, type PaymentTransaction } from "../../api";
import { Mono } from "../../components";
import { formatTime } from "../../lib/format";

type Step =
  | { kind: "idle" }
  | { kind: "wallet" }
  | { kind: "sent"; proof: string }
  | { kind: "declined"; text: string }
  | { kind: "error"; text: string };

/** What the 202 said the payer has to send; after a reload only the chain is known (Solana can ask for a fresh transaction). */
export type PaymentInfo = { payer: string | null; expiresAt: string | null; transaction: PaymentTransaction | null };

type Props = { launchId: string; chain: Chain; info: PaymentInfo; autoStart: boolean };

// Long: one state machine of a payment (quote → wallet → report → confirmed, declined, expired) and its JSX.
export function Payment({ launchId, chain, info: initial, autoStart }: Props) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [info, setInfo] = useState(initial);
  const running = useRef(false);
  const attempts = useRef(0);
  const now = useNow();
  const deadline = info.expiresAt ? Date.parse(info.expiresAt) : null;
  const closed = deadline !== null && now >= deadline;
  const solana = chain.family === "solana";

  async function pay() {
    if (running.current) return;
    running.current = true;
    setStep({ kind: "wallet" });
    try {
      const pay = await import("../../wallet/pay");
      let proof: { txHash: string } | { signature: string };
      if (!solana) {
        const tx = info.transaction;
        if (!tx || !("to" in tx) || !info.payer) throw new Error("This page no longer has the transaction to send. Open the launch from the tab you started it in.");
        proof = { txHash: await pay.payWithEvm(chain, info.payer, tx) };
      } else {
        // A Solana transaction lands only for ~150 blocks: the first try uses the one the launch came with, later ones a fresh one.
        let current = info;
        if (attempts.current > 0 || !current.transaction || !current.payer) {
          const fresh = await freshSolanaTransaction(launchId);
          current = { payer: fresh.payer, expiresAt: fresh.expiresAt, transaction: fresh };
          setInfo(current);
        }
        const tx = current.transaction!;
        if ("to" in tx) throw new Error("not a Solana transaction");
        proof = { signature: await pay.sendWithSolana(current.payer!, tx.transaction) };
      }
      const shown = "txHash" in proof ? proof.txHash : proof.signature;
      setStep({ kind: "sent", proof: shown });
      // Only speeds detection up: the platform finds the payment on chain without it.
      await reportPayment(launchId, proof).catch(() => undefined);
    } catch (e) {
      const err = e as { reason?: string; message?: string };
      if (err.reason === "declined") setStep({ kind: "declined", text: err.message ?? "You declined the payment in your wallet." });
      else setStep({ kind: "error", text: e instanceof ApiError ? e.message : err.message ?? String(e) });
    } finally {
      attempts.current++;
      running.current = false;
    }
  }

  // Arriving from "Pay and launch": ask the wallet right away (once; a reload does not ask again).
  useEffect(() => {
    if (autoStart) void pay();
  }, [autoStart]);

  return (
    <div class="card payment" data-testid="payment">
      <h2>Payment</h2>
      <p>
        {info.payer ? <>Your wallet <span class="mono wrap">{info.payer}</span></> : "The wallet you signed in with"} pays for this launch: the network fee and TokenForge's fee, in one{" "}
        {solana ? "transaction it signs" : "transaction it sends"}.
        {deadline !== null && !closed && <> Pay by <time dateTime={info.expiresAt!}>{formatTime(info.expiresAt!)}</time>.</>}
      </p>
      <p role="status" aria-live="polite" data-testid="payment-status" class={step.kind === "error" ? "error-text" : undefined}>
        {step.kind === "wallet" && "Confirm the payment in your wallet…"}
        {step.kind === "sent" && "Payment sent. Waiting for the chain to confirm it…"}
        {step.kind === "error" && step.text}
      </p>
      {step.kind === "declined" && (
        <div class="alert" role="alert" data-testid="payment-declined">
          <p><strong>{step.text}</strong> Nothing was charged. You can pay again{closed ? "" : " until the payment window closes"}.</p>
        </div>
      )}
      {step.kind === "sent" && (
        <p>
          {solana ? "Signature" : "Transaction"} <Mono value={step.proof} testid="payment-proof" />
        </p>
      )}
      {(step.kind === "idle" || step.kind === "declined" || step.kind === "error") && !closed && (
        <button type="button" onClick={() => void pay()} data-testid="pay">
          {step.kind === "idle" ? "Pay with your wallet" : "Pay again"}
        </button>
      )}
      {closed && step.kind !== "sent" && <p class="hint">The payment window has closed; waiting for the platform to close this launch.</p>}
    </div>
  );
}

function useNow() {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
