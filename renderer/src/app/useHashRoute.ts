// Hash routing (`#/holdings`): no server, no history entries outside the app, and in-page hash
// changes never reach Electron's will-navigate guard. Unknown routes fall back to the default.
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_SCREEN, findScreen, type ScreenId } from './screens';

function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return findScreen(id)?.id ?? DEFAULT_SCREEN;
}

export function hrefFor(id: ScreenId): string {
  return `#/${id}`;
}

export function useHashRoute(): [ScreenId, (id: ScreenId) => void] {
  const [screen, setScreen] = useState<ScreenId>(() => screenFromHash(window.location.hash));

  useEffect(() => {
    const onHashChange = () => setScreen(screenFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const navigate = useCallback((id: ScreenId) => {
    window.location.hash = hrefFor(id);
  }, []);

  return [screen, navigate];
}
