// Slot clock: produces a slot every `slotMs`, like a leader would.
import type { Ledger } from "./ledger";

export function startSlotClock(ledger: Ledger, slotMs: number): { stop(): void; pause(on: boolean): void } {
  let paused = false;
  const timer = setInterval(() => {
    if (paused) return;
    try {
      ledger.tick();
    } catch (e) {
      // A failing listener (e.g. a broken socket) must not stop block production.
      console.error("solana-node: slot tick failed:", e);
    }
  }, slotMs);
  timer.unref(); // the servers keep the process alive, not the clock
  return { stop: () => clearInterval(timer), pause: (on) => void (paused = on) };
}
