import { describe, expect, it } from "vitest";
import {
  FINAL, INITIAL, LAUNCH_STATUSES, LaunchMove, MOVES, NOT_FINAL, PaymentMode, SENDER_STATUSES, WATCHED_STATUSES,
  guardFor, initialStatus, nextStatus, statusIn, targetOf,
} from "@tokenforge/core/lifecycle";

type Table = Record<LaunchMove, Partial<Record<(typeof LAUNCH_STATUSES)[number], string>>>;
// Platform-paid launches: the deployer sends them.
const platform: Table = {
  submit: { queued: "submitted" },
  replace: { submitted: "submitted" },
  confirm: { awaiting_payment: "confirmed", queued: "confirmed", submitted: "confirmed" },
  fail: { awaiting_payment: "failed", queued: "failed", submitted: "failed" },
  attempt: { awaiting_payment: "awaiting_payment", queued: "queued", submitted: "submitted" },
  note: { awaiting_payment: "awaiting_payment", queued: "queued", submitted: "submitted" },
  replay: { failed: "queued" },
  reorg: { confirmed: "queued" },
  expire: {},
  rewatch: {},
};
// Wallet-paid launches: the creator's wallet sends them; nothing leads to queued or submitted.
const wallet: Table = {
  ...platform,
  submit: {},
  replace: {},
  replay: {},
  reorg: {},
  expire: { awaiting_payment: "expired" },
  rewatch: { confirmed: "awaiting_payment" },
};

describe("the launch lifecycle", () => {
  for (const [mode, allowed] of [["platform", platform], ["wallet", wallet]] as const) {
    for (const move of LaunchMove.options) {
      for (const from of LAUNCH_STATUSES) {
        const to = allowed[move][from] ?? null;
        it(`${mode}: ${move} from ${from} ${to ? `→ ${to}` : "is refused"}`, () => {
          expect(nextStatus(from, move, mode)).toBe(to);
        });
      }
    }
  }

  it("moves a final launch only by an operator's replay or a reorg", () => {
    for (const mode of PaymentMode.options) {
      for (const from of FINAL) {
        const moves = LaunchMove.options.filter((m) => nextStatus(from, m, mode) !== null);
        const expected = from === "failed" ? (mode === "platform" ? ["replay"] : []) : from === "confirmed" ? [mode === "platform" ? "reorg" : "rewatch"] : [];
        expect(moves.sort()).toEqual(expected);
      }
    }
  });

  it("never hands a wallet-paid launch to the platform's sender", () => {
    for (const from of LAUNCH_STATUSES) {
      for (const move of LaunchMove.options) {
        const to = nextStatus(from, move, "wallet");
        if (to !== null && to !== from) expect(SENDER_STATUSES).not.toContain(to);
      }
    }
    expect(initialStatus("wallet")).toBe("awaiting_payment");
    expect(initialStatus("platform")).toBe("queued");
    expect(SENDER_STATUSES).not.toContain("awaiting_payment");
    expect(WATCHED_STATUSES).toEqual(["awaiting_payment"]);
  });

  it("derives each SQL guard from the table", () => {
    expect(guardFor("confirm")).toBe("status IN ('awaiting_payment','queued','submitted')");
    expect(guardFor("submit")).toBe("(status = 'queued' AND payment_mode = 'platform')");
    expect(guardFor("replay", "l.status")).toBe("(l.status = 'failed' AND l.payment_mode = 'platform')");
    expect(guardFor("expire")).toBe("(status = 'awaiting_payment' AND payment_mode = 'wallet')");
    expect(statusIn(NOT_FINAL)).toBe("status IN ('awaiting_payment','queued','submitted')");
    expect(statusIn(SENDER_STATUSES)).toBe("status IN ('queued','submitted')");
  });

  it("names the status a changing move lands in, and refuses one for a move that keeps it", () => {
    for (const move of LaunchMove.options) {
      const to = MOVES[move].to;
      if (to === "same") expect(() => targetOf(move)).toThrow();
      else expect(targetOf(move)).toBe(to);
    }
    expect(targetOf("replay")).toBe("queued");
    expect(INITIAL).toBe("queued");
    expect(guardFor("replace")).toBe("(status = 'submitted' AND payment_mode = 'platform')");
  });

  it("lets nothing but a status reach SQL", () => {
    expect(() => statusIn(["queued", "x') OR 1=1 --" as never])).toThrow();
  });

  it("never lets a move land in a status outside the enum", () => {
    for (const rule of Object.values(MOVES)) if (rule.to !== "same") expect(LAUNCH_STATUSES).toContain(rule.to);
  });
});
