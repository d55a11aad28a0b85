'use client';

import { createContext, createElement, useContext, type ComponentType, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';

/**
 * The React context of one zustand store and its two hooks: `useSelector` (an atomic selector) and `useApi`
 * (the store itself, for actions in effects and handlers). Both throw outside `<{provider}>`.
 */
export function createStoreContext<S>(provider: string) {
  const Context = createContext<StoreApi<S> | null>(null);
  function useApi(): StoreApi<S> {
    const store = useContext(Context);
    if (!store) throw new Error(`This hook must be used inside <${provider}>`);
    return store;
  }
  function useSelector<T>(selector: (s: S) => T): T {
    return useStore(useApi(), selector);
  }
  return { Provider: Context.Provider, useApi, useSelector };
}

/** A view that owns its store: `Body` rendered inside `Provider` (which creates the store once). */
export function withProvider(Provider: ComponentType<{ children: ReactNode }>, Body: ComponentType): ComponentType {
  return function ViewWithStore() {
    return createElement(Provider, null, createElement(Body));
  };
}
