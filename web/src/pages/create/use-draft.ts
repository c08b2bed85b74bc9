// The create form's draft: the fields as typed (kept in sessionStorage so a
// reload or a sign-in keeps them), which ones the user has touched, the errors
// the API sent back per field, and the launch body and issues derived from them.
// One Idempotency-Key per draft: any change forgets it, so a different request
// gets a different key and a retry of the same one reuses it.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { newIdempotencyKey, type Chain } from "../../api";
import { isHexAddress } from "../../lib/keccak";
import { FAMILY, launchIssues, toBody, type Draft, type Family } from "../../lib/validate";
import { DRAFT_KEY, saveDraft } from "./draft-storage";

const EMPTY: Draft = { chain: "", name: "", symbol: "", decimals: "18", initialSupply: "", maxSupply: "", owner: "", metadataUri: "", features: {} };

function loadDraft(): Draft {
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "null");
    return d && typeof d === "object" ? { ...EMPTY, ...d, features: { ...(d.features ?? {}) } } : EMPTY;
  } catch {
    return EMPTY;
  }
}
export { saveDraft };

export const familyOfAddress = (a: string): Family | null => (isHexAddress(a) ? "evm" : /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(a) ? "solana" : null);

type TextField = keyof Omit<Draft, "features" | "chain" | "logo" | "logoUrl">;

/**
 * `chains`: the list once it arrives (null before); `myAddress`: the signed-in or
 * connected wallet, the natural owner when it fits the chain.
 */
export function useDraft(chains: Chain[] | null, myAddress: string | null) {
  const [draft, setDraft] = useState<Draft>(loadDraft);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState(false);
  const idempotencyKey = useRef<string | null>(null);

  const chain = chains?.find((c) => c.id === draft.chain);
  const family = chain?.family;

  // Pick a chain once the list arrives: ?chain=, the draft's, or the first.
  useEffect(() => {
    if (!chains?.length || chains.some((c) => c.id === draft.chain)) return;
    const wanted = new URLSearchParams(location.search).get("chain");
    selectChain((chains.find((c) => c.id === wanted) ?? chains[0]!).id);
  }, [chains]);

  useEffect(() => {
    if (myAddress && family && !draft.owner && familyOfAddress(myAddress) === family) update({ owner: myAddress }, false);
  }, [myAddress, family]);

  useEffect(() => saveDraft(draft), [draft]);

  const body = useMemo(() => toBody(draft, family), [draft, family]);
  const issues = useMemo(() => (chains ? launchIssues(body, family) : []), [body, family, chains]);

  const errorOf = (field: string): string | undefined => {
    if (serverErrors[field]) return serverErrors[field];
    if (!touched[field] && !submitted) return undefined;
    const found = issues.filter((i) => i.path === field || i.path.startsWith(field + "."));
    return found.length ? found.map((i) => i.message).join("; ") : undefined;
  };

  const touch = (fields: string[]) => setTouched((t) => ({ ...t, ...Object.fromEntries(fields.map((f) => [f, true])) }));

  function update(patch: Partial<Draft>, markTouched = true) {
    idempotencyKey.current = null; // a different request deserves a different key
    setDraft((d) => ({ ...d, ...patch }));
    if (markTouched) touch(Object.keys(patch));
    setServerErrors((e) => {
      const rest = { ...e };
      for (const k of Object.keys(patch)) delete rest[k];
      return rest;
    });
  }

  function selectChain(id: string) {
    const next = chains?.find((c) => c.id === id);
    setDraft((d) => {
      const prev = chains?.find((c) => c.id === d.chain);
      // Follow the family's usual decimals unless the user chose their own.
      const usual = prev ? String(FAMILY[prev.family].defaultDecimals) : "18";
      const decimals = next && (d.decimals === usual || d.decimals === "") ? String(FAMILY[next.family].defaultDecimals) : d.decimals;
      // An owner of the other family cannot be right any more.
      const owner = next && d.owner && familyOfAddress(d.owner.trim()) !== next.family ? "" : d.owner;
      return { ...d, chain: id, decimals, owner };
    });
    idempotencyKey.current = null;
    setServerErrors({});
  }

  /** Props for a text input bound to a draft field; owner and URI count as touched only when pasted (a half-typed address is not an error yet). */
  const text = (name: TextField, transform?: (v: string) => string) => ({
    name,
    value: draft[name] ?? "",
    onInput: (e: Event) => {
      const el = e.currentTarget as HTMLInputElement;
      update({ [name]: transform ? transform(el.value) : el.value }, name !== "owner" && name !== "metadataUri" ? true : (e as InputEvent).inputType === "insertFromPaste");
    },
    onBlur: () => setTouched((t) => ({ ...t, [name]: true })),
  });

  return {
    draft, chain, family, body, issues, errorOf, update, selectChain, text, touch,
    serverErrors, setServerErrors, submitted, setSubmitted,
    /** The key for this draft's launch request, the same until the draft changes. */
    idempotencyKey: () => (idempotencyKey.current ??= newIdempotencyKey()),
  };
}

export type DraftForm = ReturnType<typeof useDraft>;
