// What the operations page shows, refreshed every few seconds while the tab is
// visible: /health (chains, endpoints, backlog), the dead-letter queue and the
// latest failed launches; and replaying dead letters (one, or all).
import { useEffect, useRef, useState } from "preact/hooks";
import {
  asApiError, getHealth, getMyLaunches, listDeadLetters, replayAllDeadLetters, replayDeadLetter,
  type ApiError, type DeadLetter, type Health, type LaunchSummary,
} from "../../api";

export const REFRESH_MS = 5_000;

/** Calls fn now and every REFRESH_MS while the page is visible. */
function useRefresh(fn: () => Promise<void>, deps: unknown[]) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop = false;
    const loop = async () => {
      if (document.visibilityState === "visible") await saved.current().catch(() => undefined);
      if (!stop) timer = setTimeout(loop, REFRESH_MS);
    };
    void loop();
    const onVisible = () => document.visibilityState === "visible" && void saved.current();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stop = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, deps);
}

/**
 * `allowed`: an admin session or an operator token; `bearer`: the operator token
 * when there is no admin session; `isAdmin`: the failures come from the admin's launch list.
 */
export function useOpsReport(allowed: boolean, bearer: string | undefined, isAdmin: boolean) {
  const [health, setHealth] = useState<Health | null>(null);
  const [healthError, setHealthError] = useState<ApiError | null>(null);
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [lettersError, setLettersError] = useState<ApiError | null>(null);
  const [failures, setFailures] = useState<LaunchSummary[] | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [dlqAvailable, setDlqAvailable] = useState(true);

  useRefresh(async () => {
    if (!allowed) return;
    const [h, d, f] = await Promise.allSettled([
      getHealth(bearer),
      dlqAvailable ? listDeadLetters(bearer) : Promise.resolve({ deadLetters: [] }),
      isAdmin ? getMyLaunches(null, true) : Promise.reject(null),
    ]);
    // /health answers 503 with the same body when something is down: show it either way.
    if (h.status === "fulfilled") { setHealth(h.value); setHealthError(null); } else setHealthError(asApiError(h.reason));
    if (d.status === "fulfilled") {
      setLetters(d.value.deadLetters);
      setLettersError(null);
    } else if (asApiError(d.reason).status === 404) setDlqAvailable(false); // an API without the dead-letter routes
    else setLettersError(asApiError(d.reason));
    if (f.status === "fulfilled") setFailures(f.value.launches.filter((l) => l.status === "failed"));
    setUpdated(new Date());
  }, [allowed, bearer, isAdmin, dlqAvailable]);

  /** Replays one dead letter (`id`) or all of them (null). */
  async function replay(id: string | null) {
    setBusy(id ?? "all");
    setNote("");
    try {
      if (id) await replayDeadLetter(id, bearer);
      else {
        const n = (await replayAllDeadLetters(bearer)).replayed.length;
        setNote(`${n} launch${n === 1 ? "" : "es"} put back on the queue.`);
      }
      setLetters((await listDeadLetters(bearer)).deadLetters);
      if (id) setNote("Replayed: the launch is queued again.");
    } catch (e) {
      setLettersError(asApiError(e));
    } finally {
      setBusy(null);
    }
  }

  return { health, healthError, letters, lettersError, failures, updated, note, busy, dlqAvailable, replay };
}

export type OpsReport = ReturnType<typeof useOpsReport>;
