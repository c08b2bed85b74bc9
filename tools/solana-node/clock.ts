// Slot clock: produces a slot every `slotMs`, like a leader would.
import type { Ledger } from "./ledger";

export function startSlotClock(ledger: Ledger, slotMs: number): { stop(): void } {
  const timer = setInterval(() => ledger.tick(), slotMs);
  timer.unref(); // the servers keep the process alive, not the clock
  return { stop: () => clearInterval(timer) };
}
