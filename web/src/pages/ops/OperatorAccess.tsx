// Who may see the operations page: an administrator's session, or (local and
// test environments) an operator token typed here and kept in this tab only.
import { useState } from "preact/hooks";
import { PageTitle } from "../../components";
import { openSignIn } from "../../session";

const TOKEN_KEY = "tokenforge.adminToken";

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

/** The operator token in use ("" for none), and what was typed into its field. */
export function useOperatorToken() {
  const [token, setToken] = useState(storedToken);
  const [input, setInput] = useState("");
  const use = (t: string) => {
    try { sessionStorage.setItem(TOKEN_KEY, t); } catch { /* page only */ }
    setToken(t);
  };
  const forget = () => {
    try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* */ }
    setToken("");
  };
  return { token, input, setInput, use, forget };
}

type OperatorToken = ReturnType<typeof useOperatorToken>;

/** Shown instead of the page to anyone who is neither an administrator nor holds a token. */
export function OperatorSignIn({ signedIn, operatorToken }: { signedIn: boolean; operatorToken: OperatorToken }) {
  return (
    <section>
      <PageTitle>Operations</PageTitle>
      <p>This page is for TokenForge operators. Sign in with an administrator wallet{signedIn ? " (this one is not)" : ""}.</p>
      {!signedIn && <button type="button" onClick={() => openSignIn("Sign in with an administrator wallet.")}>Sign in</button>}
      <details class="api-key">
        <summary>Use an operator token instead (local and test environments)</summary>
        <form onSubmit={(e) => {
          e.preventDefault();
          operatorToken.use(operatorToken.input.trim());
        }}>
          <div class="field">
            <label for="admin-token">Operator token</label>
            <input id="admin-token" type="password" autoComplete="off" value={operatorToken.input} onInput={(e) => operatorToken.setInput(e.currentTarget.value)} placeholder="tfa_…" />
            <p class="hint">Kept in this tab only.</p>
          </div>
          <button type="submit" class="secondary">Use token</button>
        </form>
      </details>
    </section>
  );
}
