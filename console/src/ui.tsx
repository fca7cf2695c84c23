// The pieces every screen is made of: labelled fields that show gerbang's per-field
// messages, an action runner that turns errors into them, a confirmation dialog (the
// browser's own <dialog>: focus and Escape work with the keyboard), and a query hook.
import type { ComponentChildren, InputHTMLAttributes, TargetedEvent } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { t } from './i18n';
import { PasskeyUnusableError } from './webauthn';

/** What went wrong, in words for a person. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t.networkError;
    if (e.code === 'TOO_MANY_REQUESTS' && typeof e.extensions.retryAfter === 'number') {
      return t.tryAgainIn(e.extensions.retryAfter);
    }
    // gerbang's message already says why in words, in the request's language (a missing
    // permission, or the rule in `extensions.reason`): one message, not a generic line before it.
    if (e.code === 'FORBIDDEN') return e.message || t.forbidden;
    return e.message;
  }
  if (e instanceof PasskeyUnusableError) return e.message;
  return String(e);
}

export type FieldErrors = Record<string, string[]>;

/**
 * Runs a mutation from a form or button: `busy` while it runs, then either a notice, the
 * per-field messages of BAD_USER_INPUT, or one error line for anything else. A refusal for
 * want of a recent sign-in is a message on the form's current-password field, which the
 * forms that add a credential have.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<string | void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setFields({});
    setNotice(null);
    try {
      const done = await work();
      if (done) setNotice(done);
      return true;
    } catch (e) {
      const perField = e instanceof ApiError && e.reason === 'RECENT_SIGN_IN_REQUIRED' ? { currentPassword: [t.presenceRequired] } : e instanceof ApiError ? e.fields : {};
      if (Object.keys(perField).length > 0) setFields(perField);
      else setError(describe(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, fields, notice, run, setError };
}

export function Alert({ error, notice }: { error?: string | null; notice?: string | null }) {
  if (error) return <p class="alert error" role="alert">{error}</p>;
  if (notice) return <p class="alert notice" role="status">{notice}</p>;
  return null;
}

/**
 * Why a control is disabled (what gerbang would refuse): a line of its own next to it, or
 * a line the page shows once for several controls (`at`: that line's id).
 */
export type Why = string | { text: string; at: string };

/** The title, `aria-describedby` and own line of a control disabled for `why`. */
function reasonOf(id: string, disabled: boolean | undefined, why: Why | undefined) {
  if (!disabled || !why) return { title: undefined, describedBy: undefined, line: null };
  if (typeof why !== 'string') return { title: why.text, describedBy: why.at, line: null };
  return { title: why, describedBy: `${id}-why`, line: <Reason id={`${id}-why`} text={why} /> };
}

/** The line that says why controls are disabled. */
export function Reason({ id, text }: { id: string; text: string }) {
  return <p class="hint why" id={id}>{text}</p>;
}

export type InputType = 'text' | 'email' | 'password' | 'search' | 'url' | 'number' | 'datetime-local';

type FieldProps = {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  errors?: FieldErrors;
  type?: InputType;
  required?: boolean;
  disabled?: boolean;
  autocomplete?: string;
  placeholder?: string;
  help?: string;
  /** Why the field is disabled. */
  why?: Why;
  multiline?: boolean;
  /** Takes the focus when gerbang's messages for it arrive. */
  focusOnError?: boolean;
};

/** A labelled input whose gerbang messages are tied to it for screen readers. */
export function Field(p: FieldProps) {
  const id = useId();
  const messages = p.errors?.[p.name] ?? [];
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const why = reasonOf(id, p.disabled, p.why);
  const described = [p.help ? `${id}-help` : '', why.describedBy ?? '', messages.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const focus = p.focusOnError && messages.length > 0;
  useEffect(() => {
    if (focus) input.current?.focus();
  }, [focus]);
  const common = {
    id,
    ref: input,
    title: why.title,
    name: p.name,
    value: p.value,
    required: p.required,
    disabled: p.disabled,
    placeholder: p.placeholder,
    'aria-invalid': messages.length > 0 ? true : undefined,
    'aria-describedby': described,
    onInput: (e: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => p.onValue(e.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.multiline ? <textarea rows={3} {...common} /> : <input {...({ ...common, type: p.type ?? 'text', autocomplete: p.autocomplete } as InputHTMLAttributes<HTMLInputElement>)} />}
      {p.help && <small id={`${id}-help`}>{p.help}</small>}
      {why.line}
      {messages.length > 0 && (
        <ul class="field-errors" id={`${id}-err`}>
          {messages.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
    </div>
  );
}

/** A labelled <select>. */
export function Select(p: { label: string; value: string; onValue: (v: string) => void; options: [string, string][]; name?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} value={p.value} onChange={(e) => p.onValue(e.currentTarget.value)}>
        {p.options.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
    </div>
  );
}

/** Checkboxes in a fieldset, one per choice. */
export function Choices(p: {
  legend: string;
  choices: [string, string][];
  chosen: string[];
  onChosen: (chosen: string[]) => void;
  disabled?: boolean;
  /** Why the choices are disabled. */
  why?: Why;
  /** Single choices the caller cannot change, and why (said once, after the choices). */
  fixed?: { values: string[]; why: string };
  errors?: FieldErrors;
  name?: string;
}) {
  const id = useId();
  const messages = (p.name && p.errors?.[p.name]) || [];
  const why = reasonOf(id, p.disabled, p.why);
  const fixed = p.disabled ? [] : (p.fixed?.values ?? []);
  return (
    <fieldset class="choices" disabled={p.disabled} title={why.title} aria-describedby={why.describedBy}>
      <legend>{p.legend}</legend>
      {why.line}
      {p.choices.map(([value, label]) => (
        <label key={value}>
          <input
            type="checkbox"
            checked={p.chosen.includes(value)}
            disabled={fixed.includes(value)}
            title={fixed.includes(value) ? p.fixed?.why : undefined}
            aria-describedby={fixed.includes(value) ? `${id}-fixed` : undefined}
            onChange={(e) => p.onChosen(e.currentTarget.checked ? [...p.chosen, value] : p.chosen.filter((c) => c !== value))}
          />
          {label}
        </label>
      ))}
      {fixed.length > 0 && <Reason id={`${id}-fixed`} text={p.fixed?.why ?? ''} />}
      {messages.length > 0 && (
        <ul class="field-errors" role="alert">
          {messages.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
    </fieldset>
  );
}

/** A button that asks first, in a modal dialog; `why` says why it is disabled. */
export function ConfirmButton(p: { label: string; question: string; onConfirm: () => void; danger?: boolean; disabled?: boolean; why?: Why }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const why = reasonOf(useId(), p.disabled, p.why);
  return (
    <>
      <button
        type="button"
        class={p.danger ? 'danger' : undefined}
        disabled={p.disabled}
        title={why.title}
        aria-describedby={why.describedBy}
        onClick={() => dialog.current?.showModal()}
      >
        {p.label}
      </button>
      {why.line}
      <dialog ref={dialog} aria-label={p.label}>
        <form method="dialog">
          <p>{p.question}</p>
          <div class="actions">
            <button value="cancel" autofocus>{t.cancel}</button>
            <button
              value="confirm"
              class={p.danger ? 'danger' : undefined}
              onClick={() => {
                dialog.current?.close();
                p.onConfirm();
              }}
            >
              {t.confirm}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** A plain button that says why it is disabled, when it is. */
export function Button(p: { label: string; onClick?: () => void; disabled?: boolean; why?: Why; type?: 'button' | 'submit' }) {
  const why = reasonOf(useId(), p.disabled, p.why);
  return (
    <>
      <button type={p.type ?? 'button'} disabled={p.disabled} title={why.title} aria-describedby={why.describedBy} onClick={p.onClick}>
        {p.label}
      </button>
      {why.line}
    </>
  );
}

export function Section(p: { title: string; children: ComponentChildren }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{p.title}</h2>
      {p.children}
    </section>
  );
}

export type Loaded<T> = { data: T | null; error: unknown; loading: boolean; reload: () => void };

/** Loads with `load` whenever `key` changes; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // `load` is a fresh closure on every render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  return { data, error, loading, reload: () => setRound((r) => r + 1) };
}

/** The load's error, or a loading line, or nothing once there is data. */
export function Status({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) {
    const forbidden = loaded.error instanceof ApiError && loaded.error.code === 'FORBIDDEN';
    return <p class="alert error" role="alert" data-code={forbidden ? 'FORBIDDEN' : undefined}>{describe(loaded.error)}</p>;
  }
  if (loaded.loading && !loaded.data) return <p role="status">{t.loading}</p>;
  return null;
}

/** Sets the page title and moves focus to the heading, so screen readers announce the page. */
export function Title({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · ${t.appName}`;
    heading.current?.focus();
  }, [children]);
  return <h1 tabIndex={-1} ref={heading}>{children}</h1>;
}

/** A button in a table row, named for its row ("Revoke: ci reports") for screen readers. */
export function RowButton(p: { label: string; of: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" aria-label={`${p.label}: ${p.of}`} disabled={p.disabled} onClick={p.onClick}>
      {p.label}
    </button>
  );
}

/**
 * Form state that starts from `value` and starts over from it whenever `version` changes
 * (the record was saved or reloaded), without remounting: a notice shown meanwhile stays.
 */
export function useSynced<T>(value: T, version: string): [T, (next: T) => void] {
  const [state, setState] = useState(value);
  const seen = useRef(version);
  // `value` is a fresh object on every render; `version` says when it is new. Not on mount:
  // what was typed before the effect ran would be lost.
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    setState(value);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  return [state, setState];
}

type RowAction<T> = { label: string; name: (row: T) => string; run: (row: T) => void; disabled?: boolean };

/** Rows under column headers, each with an optional action button; `empty` when none. */
export function Table<T extends { id: string }>(p: {
  headers: string[];
  rows: T[];
  cells: (row: T) => ComponentChildren[];
  empty: string;
  action?: RowAction<T>;
}) {
  if (p.rows.length === 0) return <p>{p.empty}</p>;
  const action = p.action;
  return (
    <table>
      <thead>
        <tr>
          {p.headers.map((h) => <th scope="col" key={h}>{h}</th>)}
          {action && <th scope="col"><span class="sr-only">{action.label}</span></th>}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => (
          <tr key={row.id}>
            {p.cells(row).map((cell, i) => <td key={i}>{cell}</td>)}
            {action && (
              <td>
                <RowButton label={action.label} of={action.name(row)} disabled={action.disabled} onClick={() => action.run(row)} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
