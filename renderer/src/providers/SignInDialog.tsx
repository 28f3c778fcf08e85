import type { ProviderView } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { assertNever } from '../routes';
import { BrowserPanel } from './BrowserPanel';
import { CliPanel } from './CliPanel';
import { DeviceCodePanel } from './DeviceCodePanel';
import { PastePanel } from './PastePanel';
import { ProviderLogo } from './ProviderLogo';
import { describeFailure, SignInError } from './SignInError';
import { WaitingLine } from '../components/Spinner';
import { isRunning, type FlowView, type SignInFlow } from './useSignInFlow';

const FALLBACK_ERROR = { code: 'provider_error', message: 'The sign-in stopped.' };

const isCli = (flow: FlowView): boolean => flow.method === 'cli' || flow.method === 'cli-console' || flow.method === 'cli-token';

function dialogTitle(provider: ProviderView, flow: FlowView): string {
  if (flow.method === 'import') return `Import your ${provider.name} login`;
  if (isCli(flow)) return `Sign in with ${provider.signInBy ?? provider.name}`;
  return `Sign in to ${provider.name}`;
}

/** The body for the flow's current phase. */
function FlowBody({ provider, flow, signIn, opensItself }: { provider: ProviderView; flow: FlowView; signIn: SignInFlow; opensItself: boolean }) {
  const { progress } = flow;
  const codePanel = { provider, progress, submit: signIn.submitCode, onCancel: () => void signIn.cancel() };
  switch (progress.phase) {
    case 'starting':
      if (isCli(flow)) return <WaitingLine>{`Starting ${provider.signInBy ?? provider.name}…`}</WaitingLine>;
      return <WaitingLine>{flow.method === 'import' ? `Reading ${provider.importSource ?? 'your CLI login'}…` : `Contacting ${provider.name}…`}</WaitingLine>;
    case 'open-url':
      if (isCli(flow)) return <CliPanel {...codePanel} />;
      if (flow.method === 'paste') return <PastePanel {...codePanel} />;
      return <BrowserPanel provider={provider} progress={progress} since={flow.phaseSince} opensItself={opensItself} />;
    case 'need-code':
      if (isCli(flow)) return <CliPanel {...codePanel} />;
      return <PastePanel {...codePanel} />;
    case 'device-code':
      return <DeviceCodePanel provider={provider} progress={progress} />;
    case 'error':
      return <SignInError error={progress.error ?? FALLBACK_ERROR} />;
    case 'connected':
      return <WaitingLine>Signed in. Saving…</WaitingLine>;
    case 'cancelled':
      return <p className="signin-lead">The sign-in was cancelled.</p>;
    default:
      return assertNever(progress.phase);
  }
}

/**
 * A running sign-in in a modal: the panel for its phase and Cancel. Esc and the close button cancel
 * a running flow; after an error they just close.
 */
export function SignInDialog({ provider, flow, signIn, opensItself }: { provider: ProviderView; flow: FlowView; signIn: SignInFlow; opensItself: boolean }) {
  const running = isRunning(flow.progress);
  const close = () => (running ? void signIn.cancel() : signIn.dismiss());
  // The paste form carries its own footer, with its Submit beside Cancel.
  const ownFooter = (flow.method === 'paste' || isCli(flow)) && (flow.progress.phase === 'open-url' || flow.progress.phase === 'need-code');
  return (
    <Dialog title={dialogTitle(provider, flow)} onClose={close} className="signin-dialog" testId="signin-dialog">
      <div className="dialog-body">
        <div className="signin-brand">
          <ProviderLogo logo={provider.logo} size={44} />
        </div>
        <FlowBody provider={provider} flow={flow} signIn={signIn} opensItself={opensItself} />
        {ownFooter ? null : (
          <DialogFooter
            hint={running ? <><kbd>Esc</kbd> cancels</> : null}
            onCancel={close}
            cancelLabel={running ? 'Cancel' : 'Close'}
            action={flow.progress.phase === 'error' ? { label: describeFailure(flow.progress.error ?? FALLBACK_ERROR).retry, autoFocus: true, onClick: () => void signIn.start(flow.method) } : undefined}
          />
        )}
      </div>
    </Dialog>
  );
}
