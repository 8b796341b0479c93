// The app frame: dark sidebar with every screen, a title bar naming the screen and the data it is
// based on, and the screen itself. Screens that later issues fill show a designed empty state.
import { useEffect, useRef } from 'react';
import { getBridge } from '../bridge';
import { Icon, Logo } from '../components/Icon';
import { ProviderAlerts } from '../components/ProviderAlerts';
import { BridgeMissing } from '../screens/BridgeMissing';
import { EmptyScreen } from '../screens/EmptyScreen';
import { StatusScreen } from '../screens/StatusScreen';
import { findScreen, SCREENS, type ScreenDef, type ScreenId } from './screens';
import { hrefFor, useHashRoute } from './useHashRoute';

const GROUPS: readonly ScreenDef['group'][] = ['Portfolio', 'Research', 'Records', 'System'];

function Sidebar({ current }: { current: ScreenId }) {
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <div className="brand-text">
          <span className="brand-name">DawsOS</span>
          <span className="brand-tag">Portfolio intelligence</span>
        </div>
      </div>
      <nav className="nav" aria-label="Main">
        {GROUPS.map((group) => (
          <div className="nav-group" key={group}>
            <h2 className="nav-heading" id={`nav-${group.toLowerCase()}`}>
              {group}
            </h2>
            <ul aria-labelledby={`nav-${group.toLowerCase()}`}>
              {SCREENS.filter((screen) => screen.group === group).map((screen) => (
                <li key={screen.id}>
                  <a
                    className="nav-link"
                    href={hrefFor(screen.id)}
                    aria-current={screen.id === current ? 'page' : undefined}
                  >
                    <Icon name={screen.icon} />
                    <span>{screen.label}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <p className="sidebar-foot">
        <span className="dot" aria-hidden="true" />
        Your data stays on this machine
      </p>
    </aside>
  );
}

/** What every figure on screen is based on; both are unset until a ledger is loaded. */
function Provenance() {
  return (
    <dl className="provenance" aria-label="Data in view">
      <div className="chip">
        <Icon name="ledger" size={14} />
        <dt>Ledger</dt>
        <dd>not loaded</dd>
      </div>
      <div className="chip">
        <Icon name="pack" size={14} />
        <dt>Pricing pack</dt>
        <dd>none</dd>
      </div>
    </dl>
  );
}

export function App() {
  const [screenId] = useHashRoute();
  const screen = findScreen(screenId) ?? SCREENS[0]!;
  const bridge = getBridge();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Move focus to the new screen's title so keyboard and screen-reader users land on it.
  useEffect(() => {
    document.title = `${screen.label} · DawsOS`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [screen]);

  let body;
  if (!bridge) body = <BridgeMissing />;
  else if (screen.id === 'status') body = <StatusScreen bridge={bridge} />;
  else body = <EmptyScreen screen={screen} />;

  return (
    <div className="app">
      <Sidebar current={screen.id} />
      <div className="workspace">
        <header className="titlebar">
          <div className="titlebar-text">
            <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
              {screen.label}
            </h1>
            <p className="titlebar-summary">{screen.summary}</p>
          </div>
          <Provenance />
        </header>
        <main className="content" aria-labelledby="screen-title" data-screen={screen.id}>
          {bridge && <ProviderAlerts bridge={bridge} />}
          {body}
        </main>
      </div>
    </div>
  );
}
