import { useState, type ReactNode } from 'react';
import type { Settings, SettingsPatch, Theme } from '../../../preload/contract';
import { CheckIcon, MonitorIcon, MoonIcon, SunIcon } from '../components/Icons';
import { PageHeader } from '../components/PageHeader';
import { SegmentedControl, type Segment } from '../components/SegmentedControl';
import { Switch } from '../components/Switch';
import type { SaveResult } from '../hooks/useSettings';
import { requestNotificationPermission } from '../notifications/useAgentNotifications';
import { TERMINAL_THEMES } from '../console/terminal-theme';
import { DraftInput } from '../settings/DraftInput';
import { withMonospaceFallback } from '../settings/font-stack';
import { refusalText } from '../settings/refusal-text';
import { useLoginItem, type LoginItem } from '../settings/useLoginItem';
import { CloudSyncSection } from '../sync/CloudSyncSection';

const THEMES: ReadonlyArray<Segment<Theme>> = [
  { value: 'system', label: 'System', icon: <MonitorIcon size={15} /> },
  { value: 'light', label: 'Light', icon: <SunIcon size={15} /> },
  { value: 'dark', label: 'Dark', icon: <MoonIcon size={15} /> },
];

const AGENTS_ON_QUIT: ReadonlyArray<Segment<Settings['agentsOnQuit']>> = [
  { value: 'ask', label: 'Ask' },
  { value: 'keep', label: 'Keep running' },
  { value: 'stop', label: 'Stop them' },
];

type Save = (patch: SettingsPatch) => Promise<SaveResult>;
type NumberField = 'terminalFontSize' | 'scrollbackLines';

function SettingRow({
  label,
  labelFor,
  labelId,
  description,
  descriptionId,
  children,
}: {
  label: string;
  labelFor?: string;
  labelId?: string;
  description: ReactNode;
  descriptionId: string;
  children: ReactNode;
}) {
  return (
    <div className="setting-row">
      <div className="setting-text">
        {labelFor ? (
          <label className="setting-label" htmlFor={labelFor}>
            {label}
          </label>
        ) : (
          <span className="setting-label" id={labelId}>
            {label}
          </span>
        )}
        <p className="setting-description" id={descriptionId}>
          {description}
        </p>
      </div>
      <div className="setting-control">{children}</div>
    </div>
  );
}

function SettingsSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id} className="section-label">
        {title}
      </h2>
      <div className="card settings-card">{children}</div>
    </section>
  );
}

/** A control that saves at once (theme, switch): shows the daemon's refusal under it. */
function useImmediateSave(save: Save, field: keyof Settings, onSaved: () => void) {
  const [error, setError] = useState<string>();
  const run = async (patch: SettingsPatch) => {
    const result = await save(patch);
    if (result.ok) {
      setError(undefined);
      onSaved();
    } else {
      setError(refusalText(result.error, field));
    }
  };
  return { error, run };
}

/** The console's font and colours (its light or dark theme, as the console would show them now). */
function TerminalPreview({ settings, theme }: { settings: Settings; theme: 'light' | 'dark' }) {
  const colours = TERMINAL_THEMES[theme];
  // Grey text as a CLI prints it (dim hints): the palette's grey that stays readable on this background.
  const grey = theme === 'dark' ? colours.white : colours.brightBlack;
  return (
    <figure className="terminal-preview-figure">
      <figcaption className="terminal-preview-caption">Preview</figcaption>
      <div
        className="terminal-preview"
        aria-label="Preview of the console font"
        role="img"
        data-theme={theme}
        style={{
          fontFamily: withMonospaceFallback(settings.terminalFontFamily),
          fontSize: `${settings.terminalFontSize}px`,
          background: colours.background,
          color: colours.foreground,
        }}
      >
        <div>
          <span style={{ color: colours.green }}>$</span> claude
        </div>
        <div style={{ color: grey }}>Reviewing the diff in src/router.ts…</div>
        <div>
          <span style={{ color: colours.brightBlue }}>-&gt;relay:Codex</span> tests for the router, please
        </div>
      </div>
    </figure>
  );
}

/** Start at login: a switch where the host can do it, greyed out with the host's reason where it cannot. */
function DesktopSection({ loginItem, onSaved }: { loginItem: LoginItem; onSaved: () => void }) {
  const { state, error, busy } = loginItem;
  const unsupported = state !== undefined && !state.supported;
  return (
    <SettingsSection id="settings-desktop" title="Desktop">
      <SettingRow
        label="Start at login"
        labelId="setting-login-item-label"
        description={
          <>
            Open Agent Relay in the tray when you log in, so agents and sign-ins are ready.
            {state?.detail ? (
              <span className={unsupported ? 'setting-detail' : 'setting-detail setting-detail-action'} data-testid="login-item-detail">
                {state.detail}
              </span>
            ) : null}
          </>
        }
        descriptionId="setting-login-item-desc"
      >
        <Switch
          checked={state?.openAtLogin ?? false}
          disabled={state === undefined || unsupported || busy}
          labelledBy="setting-login-item-label"
          describedBy="setting-login-item-desc"
          onChange={(checked) => void loginItem.set(checked).then((ok) => ok && onSaved())}
        />
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </SettingRow>
    </SettingsSection>
  );
}

/** Appearance, terminal and notification settings; each change is saved at once and shared live. */
export function SettingsPage({ settings, save, theme: shownTheme }: { settings: Settings | undefined; save: Save; theme: 'light' | 'dark' }) {
  const [savedAt, setSavedAt] = useState<number>();
  const markSaved = () => setSavedAt(Date.now());
  const theme = useImmediateSave(save, 'theme', markSaved);
  const notifications = useImmediateSave(save, 'notifications', markSaved);
  const continueOn = useImmediateSave(save, 'continueOnOtherAccount', markSaved);
  const agentsOnQuit = useImmediateSave(save, 'agentsOnQuit', markSaved);
  const loginItem = useLoginItem();

  const commitText = (field: 'terminalFontFamily') => async (draft: string) => {
    const result = await save({ [field]: draft });
    if (!result.ok) return refusalText(result.error, field);
    markSaved();
    return undefined;
  };
  const commitNumber = (field: NumberField) => async (draft: string) => {
    const text = draft.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) return 'Enter a number.';
    const result = await save({ [field]: value });
    if (!result.ok) return refusalText(result.error, field);
    markSaved();
    return undefined;
  };

  return (
    <div className="page page-settings">
      <PageHeader
        title="Settings"
        description="Changes are saved as you make them and apply to every open window."
        aside={
          <p className="save-status" role="status" aria-live="polite">
            {savedAt ? (
              <span key={savedAt} className="save-status-saved">
                <CheckIcon size={14} /> Saved
              </span>
            ) : null}
          </p>
        }
      />
      {settings === undefined ? (
        <p className="loading-line" role="status">
          Loading settings…
        </p>
      ) : null}

      <SettingsSection id="settings-appearance" title="Appearance">
        <SettingRow
          label="Theme"
          labelId="setting-theme-label"
          description="System follows your operating system's light or dark mode."
          descriptionId="setting-theme-desc"
        >
          <SegmentedControl
            label="Theme"
            value={settings?.theme}
            segments={THEMES}
            describedBy="setting-theme-desc"
            onChange={(value) => void theme.run({ theme: value })}
          />
          {theme.error ? (
            <p className="field-error" role="alert">
              {theme.error}
            </p>
          ) : null}
        </SettingRow>
      </SettingsSection>

      <SettingsSection id="settings-terminal" title="Terminal">
        <SettingRow
          label="Font family"
          labelFor="setting-font-family"
          description="A CSS font list for agent consoles; the first installed font is used."
          descriptionId="setting-font-family-desc"
        >
          <DraftInput
            id="setting-font-family"
            type="text"
            className="input-wide input-mono"
            saved={settings?.terminalFontFamily}
            describedBy="setting-font-family-desc"
            commit={commitText('terminalFontFamily')}
          />
        </SettingRow>
        <SettingRow
          label="Font size"
          labelFor="setting-font-size"
          description="From 8 to 32 pixels."
          descriptionId="setting-font-size-desc"
        >
          <DraftInput
            id="setting-font-size"
            type="number"
            className="input-narrow"
            suffix="px"
            saved={settings === undefined ? undefined : String(settings.terminalFontSize)}
            describedBy="setting-font-size-desc"
            commit={commitNumber('terminalFontSize')}
          />
        </SettingRow>
        <SettingRow
          label="Scrollback"
          labelFor="setting-scrollback"
          description="Lines each console keeps, from 100 to 100,000."
          descriptionId="setting-scrollback-desc"
        >
          <DraftInput
            id="setting-scrollback"
            type="number"
            className="input-medium"
            suffix="lines"
            saved={settings === undefined ? undefined : String(settings.scrollbackLines)}
            describedBy="setting-scrollback-desc"
            commit={commitNumber('scrollbackLines')}
          />
        </SettingRow>
        {settings ? <TerminalPreview settings={settings} theme={shownTheme} /> : null}
      </SettingsSection>

      <SettingsSection id="settings-notifications" title="Notifications">
        <SettingRow
          label="Desktop notifications"
          labelId="setting-notifications-label"
          description="Tell me when an agent needs my input or a message cannot be delivered."
          descriptionId="setting-notifications-desc"
        >
          <Switch
            checked={settings?.notifications ?? false}
            disabled={settings === undefined}
            labelledBy="setting-notifications-label"
            describedBy="setting-notifications-desc"
            onChange={(checked) => {
              // Asked while the click still counts as the user's gesture; the browser refuses otherwise.
              if (checked) requestNotificationPermission();
              void notifications.run({ notifications: checked });
            }}
          />
          {notifications.error ? (
            <p className="field-error" role="alert">
              {notifications.error}
            </p>
          ) : null}
        </SettingRow>
      </SettingsSection>

      <SettingsSection id="settings-accounts" title="Accounts">
        <SettingRow
          label="Continue on another account at a usage limit"
          labelId="setting-continue-label"
          description="When an agent's account hits its usage limit, restart the agent on another account of the same provider and resume its conversation, without asking. The agent and the card still say so."
          descriptionId="setting-continue-desc"
        >
          <Switch
            checked={settings?.continueOnOtherAccount ?? false}
            disabled={settings === undefined}
            labelledBy="setting-continue-label"
            describedBy="setting-continue-desc"
            onChange={(checked) => void continueOn.run({ continueOnOtherAccount: checked })}
          />
          {continueOn.error ? (
            <p className="field-error" role="alert">
              {continueOn.error}
            </p>
          ) : null}
        </SettingRow>
      </SettingsSection>

      <SettingsSection id="settings-agents-on-quit" title="Agents">
        <SettingRow
          label="When the app quits"
          labelId="setting-agents-on-quit-label"
          description="Kept agents go on working in the background; the next start shows their consoles with everything they printed. The command agent-relay-desktop down stops them."
          descriptionId="setting-agents-on-quit-desc"
        >
          <SegmentedControl
            label="When the app quits"
            value={settings?.agentsOnQuit}
            segments={AGENTS_ON_QUIT}
            describedBy="setting-agents-on-quit-desc"
            onChange={(value) => void agentsOnQuit.run({ agentsOnQuit: value })}
          />
          {agentsOnQuit.error ? (
            <p className="field-error" role="alert">
              {agentsOnQuit.error}
            </p>
          ) : null}
        </SettingRow>
      </SettingsSection>

      <DesktopSection loginItem={loginItem} onSaved={markSaved} />

      <CloudSyncSection />
    </div>
  );
}
