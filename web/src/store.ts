// A tiny observable value for state shared across pages (session, wallet),
// read in components with useStore: no state library in the bundle.
import { useEffect, useState } from "preact/hooks";

export type Store<T> = { get: () => T; set: (v: T) => void; subscribe: (fn: (v: T) => void) => () => void };

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const subs = new Set<(v: T) => void>();
  return {
    get: () => value,
    set(v) {
      value = v;
      for (const fn of subs) fn(v);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [v, setV] = useState(store.get);
  useEffect(() => {
    setV(store.get());
    return store.subscribe(setV);
  }, [store]);
  return v;
}
