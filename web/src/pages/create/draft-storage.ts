// Where the create form's draft is kept (sessionStorage): its own module, so the
// launch page can put an expired launch back into the form without loading the form.
import type { Draft } from "../../lib/validate";

export const DRAFT_KEY = "tokenforge.draft";

export function saveDraft(d: Draft | null) {
  try {
    if (d) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    /* storage disabled: the draft lives as long as the page */
  }
}
