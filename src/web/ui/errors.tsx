import { Alert, App, type FormInstance } from 'antd';
import { useCallback, useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText, type FieldError } from '../api.ts';
import { i18n } from '../i18n/index.ts';

interface Shown {
  title: string;
  /** Field errors that no form field shows. */
  rest: FieldError[];
  requestId: string | null;
}

/** `grants.0.roleId` → ['grants', 0, 'roleId'], the way antd names nested fields. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * A form's submit (antd `onFinish`): clears the last failure, reports busy while `action` runs, and
 * shows a failure on the form: each `errors[].field` under its form field (when one of
 * `knownFields`), the problem's title and any other field errors in `alert` above the buttons.
 * With `onConflict`, a version conflict is a toast instead, then `onConflict` (close, show the data as it is now).
 */
export function useFormSubmit<V>(
  form: FormInstance<V>,
  knownFields: readonly string[],
  action: (values: V) => Promise<void>,
  opts: { setBusy: (busy: boolean) => void; onConflict?: () => void },
) {
  const notify = useNotify();
  const [shown, setShown] = useState<Shown | null>(null);
  const clear = useCallback(() => setShown(null), []);

  const fail = (err: unknown) => {
    if (!(err instanceof ApiError)) {
      setShown({ title: errorText(err), rest: [], requestId: null });
      return;
    }
    const mapped = err.fieldErrors.filter((e) => knownFields.includes(e.field.split('.')[0]));
    (form as FormInstance).setFields(mapped.map((e) => ({ name: fieldPath(e.field), errors: [e.message] })));
    // The request id helps the operator find a server failure in the log; a refused input needs none.
    setShown({ title: err.title, rest: err.fieldErrors.filter((e) => !mapped.includes(e)), requestId: err.status >= 500 ? err.requestId : null });
  };

  const onFinish = async (values: V) => {
    clear();
    opts.setBusy(true);
    try {
      await action(values);
    } catch (err) {
      if (opts.onConflict && err instanceof ApiError && err.code === 'VERSION_CONFLICT') notify.fail(err, opts.onConflict);
      else fail(err);
    } finally {
      opts.setBusy(false);
    }
  };
  const alert: ReactNode = shown ? <ErrorAlert title={shown.title} rest={shown.rest} requestId={shown.requestId} /> : null;
  return { onFinish, clear, alert };
}

export function ErrorAlert({ title, rest = [], requestId = null }: { title: string; rest?: FieldError[]; requestId?: string | null }) {
  const { t } = useTranslation();
  const details = [...rest.map((e) => `${e.field}: ${e.message}`), ...(requestId ? [t('common.requestId', { id: requestId })] : [])];
  return (
    <div data-testid="form-error" role="alert" style={{ marginBottom: 16 }}>
      <Alert
        type="error"
        showIcon
        title={title}
        description={details.length ? details.map((d) => <div key={d}>{d}</div>) : undefined}
      />
    </div>
  );
}

/** Spread into props typed without data attributes (e.g. a modal's okButtonProps). */
type DataAttrs = { [data: `data-${string}`]: string };
export const tid = (id: string): DataAttrs => ({ 'data-testid': id });
/** The same for a table row (`onRow`), whose props are typed as HTML attributes. */
export const rowTid = (id: string): HTMLAttributes<HTMLElement> & DataAttrs => ({ 'data-testid': id });

/**
 * Success and failure toasts; a version conflict reloads the data it was about. Stable across language changes.
 * `run` awaits one request: on success its toast (when given), on failure the failure toast; true when it succeeded.
 */
export function useNotify() {
  const { message } = App.useApp();
  return useMemo(() => {
    const ok = (text: string) => void message.success(text);
    const fail = (err: unknown, reload?: () => void) => {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT' && reload) {
        // Longer than the default 3 s: the person's change was not applied and they must notice.
        void message.warning(`${err.title} — ${i18n.t('common.reloaded')}`, 8);
        reload();
        return;
      }
      void message.error(errorText(err));
    };
    const run = async (request: Promise<unknown>, okText?: string, reload?: () => void): Promise<boolean> => {
      try {
        await request;
      } catch (err) {
        fail(err, reload);
        return false;
      }
      if (okText) ok(okText);
      return true;
    };
    return { ok, fail, run };
  }, [message]);
}

/** The OK and Cancel of a confirmation (Popconfirm props or modal.confirm options); OK is `confirm-ok` for the tests. */
export const confirmButtons = (danger = false) => ({
  okText: i18n.t('common.ok'),
  cancelText: i18n.t('common.cancel'),
  okButtonProps: { danger, ...tid('confirm-ok') },
});
