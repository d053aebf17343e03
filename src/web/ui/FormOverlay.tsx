import { Button, Drawer, Modal, Space } from 'antd';
import { Fragment, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { tid } from './errors.tsx';

/** A drawer or modal around one form, which `children` renders with `id={formId}`; its submit button submits that form. */
interface FormOverlayProps<T extends object> {
  /** What it is open for (a new object at each opening), null when closed. */
  opening: T | null;
  title: (shown: T) => ReactNode;
  formId: string;
  submitTestId: string;
  onClose: () => void;
  /** The form for what it was opened for; it reports its request in flight through `setBusy`. */
  children: (shown: T, setBusy: (busy: boolean) => void) => ReactNode;
}

/**
 * The busy flag, and the container's own props: open, the title and the form for what it was last
 * opened for (kept while it animates closed), the form mounted afresh at each opening (so with its
 * own initial values), even when reopened before the closing animation ended.
 */
function useFormOverlay<T extends object>({ opening, title, children }: FormOverlayProps<T>) {
  const last = useRef<T | null>(null);
  const key = useRef(0);
  if (opening && opening !== last.current) {
    last.current = opening;
    key.current += 1;
  }
  const shown = opening ?? last.current;
  const [busy, setBusy] = useState(false);
  const container = {
    open: opening !== null,
    title: shown ? title(shown) : null,
    children: shown ? <Fragment key={key.current}>{children(shown, setBusy)}</Fragment> : null,
    destroyOnHidden: true,
  };
  return { busy, container };
}

/** Cancel and Save at the top right. */
export function FormDrawer<T extends object>(props: FormOverlayProps<T> & { size: number }) {
  const { t } = useTranslation();
  const { busy, container } = useFormOverlay(props);
  return (
    <Drawer
      {...container}
      size={props.size}
      onClose={props.onClose}
      extra={
        <Space>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" form={props.formId} loading={busy} data-testid={props.submitTestId}>
            {t('common.save')}
          </Button>
        </Space>
      }
    />
  );
}

/** Cancel and `okText` at the bottom. */
export function FormModal<T extends object>(props: FormOverlayProps<T> & { width?: number; okText: string }) {
  const { t } = useTranslation();
  const { busy, container } = useFormOverlay(props);
  return (
    <Modal
      {...container}
      width={props.width}
      onCancel={props.onClose}
      okText={props.okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', form: props.formId, loading: busy, ...tid(props.submitTestId) }}
    />
  );
}
