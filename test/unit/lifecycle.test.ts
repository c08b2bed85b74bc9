import { describe, expect, it } from "vitest";
import { FINAL, INITIAL, LAUNCH_STATUSES, LaunchMove, MOVES, NOT_FINAL, guardFor, nextStatus, statusIn, targetOf } from "@tokenforge/core/lifecycle";

const allowed: Record<LaunchMove, Partial<Record<(typeof LAUNCH_STATUSES)[number], string>>> = {
  submit: { queued: "submitted" },
  replace: { submitted: "submitted" },
  confirm: { queued: "confirmed", submitted: "confirmed" },
  fail: { queued: "failed", submitted: "failed" },
  attempt: { queued: "queued", submitted: "submitted" },
  note: { queued: "queued", submitted: "submitted" },
  replay: { failed: "queued" },
  reorg: { confirmed: "queued" },
};

describe("the launch lifecycle", () => {
  for (const move of LaunchMove.options) {
    for (const from of LAUNCH_STATUSES) {
      const to = allowed[move][from] ?? null;
      it(`${move} from ${from} ${to ? `→ ${to}` : "is refused"}`, () => {
        expect(nextStatus(from, move)).toBe(to);
      });
    }
  }

  it("moves a final launch only by an operator's replay or a reorg", () => {
    for (const from of FINAL) {
      const moves = LaunchMove.options.filter((m) => nextStatus(from, m) !== null);
      expect(moves.sort()).toEqual(from === "failed" ? ["replay"] : ["reorg"]);
    }
  });

  it("derives each SQL guard from the table", () => {
    expect(guardFor("confirm")).toBe("status IN ('queued','submitted')");
    expect(guardFor("submit")).toBe("status = 'queued'");
    expect(guardFor("replay", "l.status")).toBe("l.status = 'failed'");
    expect(statusIn(NOT_FINAL)).toBe("status IN ('queued','submitted')");
  });

  it("names the status a changing move lands in, and refuses one for a move that keeps it", () => {
    for (const move of LaunchMove.options) {
      const to = MOVES[move].to;
      if (to === "same") expect(() => targetOf(move)).toThrow();
      else expect(targetOf(move)).toBe(to);
    }
    expect(targetOf("replay")).toBe("queued");
    expect(INITIAL).toBe("queued");
    expect(guardFor("replace")).toBe("status = 'submitted'");
  });

  it("lets nothing but a status reach SQL", () => {
    expect(() => statusIn(["queued", "x') OR 1=1 --" as never])).toThrow();
  });

  it("never lets a move land in a status outside the enum", () => {
    for (const rule of Object.values(MOVES)) if (rule.to !== "same") expect(LAUNCH_STATUSES).toContain(rule.to);
  });
});
