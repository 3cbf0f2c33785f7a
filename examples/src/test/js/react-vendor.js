// The entry of the React bundle that the React example page (and the hooks' browser tests) load
// without a bundler: React and react-dom/client in one ES module, so both bare names map to the same
// single React (npm run vendor-react writes ../../main/resources/dashboard/react/vendor/react.js;
// ReactBundleTest checks that the committed file is exactly what this produces).
import React from 'react';
import { createRoot } from 'react-dom/client';

export default React;
export const {
  Children, Component, Fragment, PureComponent, StrictMode, Suspense,
  createContext, createElement, forwardRef, isValidElement, lazy, memo, startTransition,
  use, useCallback, useContext, useDebugValue, useDeferredValue, useEffect, useId,
  useImperativeHandle, useInsertionEffect, useLayoutEffect, useMemo, useReducer, useRef,
  useState, useSyncExternalStore, useTransition, version,
} = React;
export { createRoot };
