// WebSocket PubSub: signatureSubscribe, slotSubscribe, rootSubscribe (and their
// unsubscribes), with the notification shapes of the real node.
import type { WebSocket } from "ws";
import { invalidParams } from "./errors";
import { stringify } from "./json";
import type { Commitment, Ledger, TxRecord } from "./ledger";
import { commitmentOf } from "./methods";
import { handleBody, methodNotFound } from "./rpc";

interface SignatureSub {
  kind: "signature";
  id: number;
  ws: WebSocket;
  signature: string;
  commitment: Commitment;
  received: boolean;
}
interface SlotSub {
  kind: "slot" | "root";
  id: number;
  ws: WebSocket;
}
type Sub = SignatureSub | SlotSub;

export class Subscriptions {
  private nextId = 0;
  private readonly subs = new Map<number, Sub>();
  private lastRoot = -1;

  constructor(private readonly ledger: Ledger) {
    ledger.on("slot", (slot: number) => this.onSlot(slot));
    ledger.on("transaction", (rec: TxRecord) => this.checkSignature(rec.signature));
    ledger.on("received", (sig: string) => this.onReceived(sig));
  }

  attach(ws: WebSocket): void {
    ws.on("message", (raw) => {
      const after: (() => void)[] = [];
      const out = handleBody(raw.toString(), (method, params) => this.call(ws, method, params, after));
      if (out !== undefined) ws.send(stringify(out));
      // Notifications that are already due go out after the subscription id.
      for (const f of after) f();
    });
    ws.on("close", () => {
      for (const [id, s] of this.subs) if (s.ws === ws) this.subs.delete(id);
    });
  }

  private call(ws: WebSocket, method: string, params: unknown[], after: (() => void)[]): unknown {
    const cfg = (params[1] ?? {}) as Record<string, unknown>;
    switch (method) {
      case "signatureSubscribe": {
        if (typeof params[0] !== "string") throw invalidParams("Invalid params: expected a signature");
        const sub: SignatureSub = {
          kind: "signature", id: this.nextId++, ws, signature: params[0],
          commitment: commitmentOf(cfg) ?? "finalized", received: cfg.enableReceivedNotification === true,
        };
        this.subs.set(sub.id, sub);
        after.push(() => this.checkSignature(sub.signature));
        return sub.id;
      }
      case "slotSubscribe":
      case "rootSubscribe": {
        const sub: SlotSub = { kind: method === "slotSubscribe" ? "slot" : "root", id: this.nextId++, ws };
        this.subs.set(sub.id, sub);
        return sub.id;
      }
      case "signatureUnsubscribe":
      case "slotUnsubscribe":
      case "rootUnsubscribe": {
        const s = this.subs.get(params[0] as number);
        const kind = method.replace("Unsubscribe", "");
        if (!s || s.ws !== ws || s.kind !== kind) throw invalidParams("Invalid subscription id.");
        this.subs.delete(s.id);
        return true;
      }
      default:
        throw methodNotFound();
    }
  }

  private notify(s: Sub, method: string, result: unknown) {
    if (s.ws.readyState !== s.ws.OPEN) return;
    s.ws.send(stringify({ jsonrpc: "2.0", method, params: { result, subscription: s.id } }));
  }

  private onSlot(slot: number) {
    const root = this.ledger.bankSlot("finalized");
    for (const s of this.subs.values()) {
      if (s.kind === "slot") this.notify(s, "slotNotification", { parent: slot - 1, root, slot });
      else if (s.kind === "root" && root !== this.lastRoot) this.notify(s, "rootNotification", root);
    }
    this.lastRoot = root;
    // Landed signatures reach confirmed / finalized as slots pass.
    for (const s of [...this.subs.values()]) if (s.kind === "signature") this.checkSignature(s.signature);
  }

  /** Sends (once) to every subscription on `signature` whose commitment it has reached. */
  private checkSignature(signature: string) {
    const status = this.ledger.signatureStatus(signature);
    const rec = this.ledger.history.get(signature);
    if (!status || !rec) return;
    for (const s of [...this.subs.values()]) {
      if (s.kind !== "signature" || s.signature !== signature || !this.ledger.reached(rec, s.commitment)) continue;
      this.subs.delete(s.id); // signature subscriptions end with their notification
      this.notify(s, "signatureNotification", { context: { slot: this.ledger.bankSlot(s.commitment) }, value: { err: rec.err } });
    }
  }

  private onReceived(signature: string) {
    for (const s of this.subs.values())
      if (s.kind === "signature" && s.signature === signature && s.received)
        this.notify(s, "signatureNotification", { context: { slot: this.ledger.slot }, value: "receivedSignature" });
  }

  get size(): number {
    return this.subs.size;
  }
}
