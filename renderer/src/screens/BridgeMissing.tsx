// Shown when `window.dawsos` is absent: the page was opened outside DawsOS or the preload failed.
import { Icon } from '../components/Icon';

export function BridgeMissing() {
  return (
    <section className="panel panel-error bridge-missing" role="alert" aria-labelledby="bridge-missing-title">
      <div className="panel-error-head">
        <Icon name="alert" size={22} />
        <h2 id="bridge-missing-title">DawsOS core not connected</h2>
      </div>
      <p>
        This window cannot reach the DawsOS core, so no data can be shown. It happens when the page is opened
        outside the DawsOS app, or when the app failed to start correctly.
      </p>
      <p>
        Restart DawsOS. If this screen comes back, run <code>dawsos doctor</code> in a terminal and report
        what it prints.
      </p>
      <p className="error-code">
        Code <code>BRIDGE_MISSING</code>
      </p>
    </section>
  );
}
