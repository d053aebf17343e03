import { Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A modal around one form (rendered by the caller with `id={formId}`); its OK button submits that form. */
export function FormModal(props: {
  open: boolean;
  title: ReactNode;
  width?: number;
  formId: string;
  okText: string;
  busy: boolean;
  okTestId: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      width={props.width}
      onCancel={props.onClose}
      okText={props.okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', form: props.formId, loading: props.busy, ...{ 'data-testid': props.okTestId } }}
      destroyOnHidden
    >
      {props.children}
    </Modal>
  );
}
