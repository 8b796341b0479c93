// The designed empty state of a screen that has no data yet: what it will show, and what to do.
import type { ScreenDef } from '../app/screens';
import { hrefFor } from '../app/useHashRoute';
import { Icon } from '../components/Icon';

/** Text with `backticked` parts shown as code (commands, variable names). */
function WithCode({ text }: { text: string }) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

/** A faint sketch of the screen's future layout, so an empty screen still reads as this screen. */
function Ghost() {
  return (
    <div className="ghost" aria-hidden="true">
      <div className="ghost-tiles">
        <span />
        <span />
        <span />
        <span />
      </div>
      <div className="ghost-rows">
        <span />
        <span />
        <span />
        <span />
        <span />
      </div>
    </div>
  );
}

export function EmptyScreen({ screen }: { screen: ScreenDef }) {
  const empty = screen.empty;
  if (!empty) return null;
  return (
    <div className="empty-wrap">
      <Ghost />
      <section className="empty" aria-labelledby="empty-title" data-testid="empty-state">
        <div className="empty-icon">
          <Icon name={screen.icon} size={26} />
        </div>
        <h2 id="empty-title">{empty.title}</h2>
        <p className="empty-body">{empty.body}</p>
        <h3 className="empty-steps-title">What to do</h3>
        <ol className="empty-steps">
          {empty.steps.map((step) => (
            <li key={step}>
              <WithCode text={step} />
            </li>
          ))}
        </ol>
        <div className="empty-actions">
          <a className="button button-primary" href={hrefFor('status')}>
            <Icon name="status" size={16} />
            Check system status
          </a>
        </div>
      </section>
    </div>
  );
}
