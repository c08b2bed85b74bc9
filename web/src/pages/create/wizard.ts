// The wizard over the create form: which step is shown (small screens show one
// at a time; wide ones show the form and the review side by side), moving on
// only when the step being left is valid, and focus on the first field in error.
import { useEffect, useRef, useState } from "preact/hooks";
import type { DraftForm } from "./use-draft";

export const STEPS = ["Token", "Owner and powers", "Review"] as const;
/** Which wizard step holds each field (API error paths included). */
export const STEP_OF: Record<string, number> = {
  chain: 0, name: 0, symbol: 0, decimals: 0, initialSupply: 0, maxSupply: 0,
  owner: 1, features: 1, metadataUri: 1, logo: 1, description: 1, website: 1, links: 1, apiKey: 2,
};
export const FIELD_ORDER = ["chain", "name", "symbol", "decimals", "initialSupply", "maxSupply", "owner", "features", "logo", "description", "website", "links", "metadataUri"];

export function useWizard(form: DraftForm) {
  const [step, setStep] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useRef(false);

  // After the render that shows the errors, not before: the invalid field must exist to take focus.
  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .fieldset-invalid input')?.focus();
  });

  const stepHasErrors = (s: number) => form.issues.some((i) => (STEP_OF[i.path.split(".")[0]!] ?? 0) === s);

  function goTo(next: number) {
    if (next > step) {
      // Moving on checks the fields of the step being left.
      form.touch(FIELD_ORDER.filter((f) => STEP_OF[f] === step));
      if (stepHasErrors(step)) {
        focusFirstError.current = true;
        return;
      }
    }
    setStep(next);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-step="${next}"] legend, [data-step="${next}"] h2`)?.focus());
  }

  /** Shows the step holding `field` (if given) and focuses the first field in error. */
  function showErrors(field?: string) {
    if (field !== undefined) setStep(STEP_OF[field] ?? 0);
    focusFirstError.current = true;
  }

  return { step, formRef, goTo, showErrors };
}
