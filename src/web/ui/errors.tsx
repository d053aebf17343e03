import { Alert, App, type FormInstance } from 'antd';
import { useCallback, useMemo, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';
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
 * Shows an API failure on a form: each `errors[].field` under its form field (when the form has
 * one), the problem's title and any other field errors in an alert above the buttons.
 */
export function useFormErrors(form: FormInstance, knownFields: readonly string[]) {
  const known = useRef(knownFields);
  known.current = knownFields;
  const [shown, setShown] = useState<Shown | null>(null);

  const fail = useCallback(
    (err: unknown) => {
      if (!(err instanceof ApiError)) {
        setShown({ title: errorText(err), rest: [], requestId: null });
        return;
      }
      const mapped = err.fieldErrors.filter((e) => known.current.includes(e.field.split('.')[0]));
      form.setFields(mapped.map((e) => ({ name: fieldPath(e.field), errors: [e.message] })));
      // The request id helps the operator find a server failure in the log; a refused input needs none.
      setShown({ title: err.title, rest: err.fieldErrors.filter((e) => !mapped.includes(e)), requestId: err.status >= 500 ? err.requestId : null });
    },
    [form],
  );
  const clear = useCallback(() => setShown(null), []);
  const alert: ReactNode = shown ? <ErrorAlert title={shown.title} rest={shown.rest} requestId={shown.requestId} /> : null;
  return { fail, clear, alert };
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

/** Success and failure toasts; a version conflict reloads the data it was about. Stable across language changes. */
export function useNotify() {
  const { message } = App.useApp();
  return useMemo(
    () => ({
      ok: (text: string) => void message.success(text),
      fail: (err: unknown, reload?: () => void) => {
        if (err instanceof ApiError && err.code === 'VERSION_CONFLICT' && reload) {
          void message.warning(`${err.title} — ${i18n.t('common.reloaded')}`);
          reload();
          return;
        }
        void message.error(errorText(err));
      },
    }),
    [message],
  );
}
