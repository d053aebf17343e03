import { Alert, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { tid } from './errors.tsx';

/** A secret (generated password, API token) shown once, with a copy button and a warning. */
export function OneTimeSecret({ label, secret, warning }: { label: ReactNode; secret: string; warning: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 16 }} />
      <div style={{ marginBottom: 8 }}>{label}</div>
      <Typography.Paragraph
        code
        copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }}
        style={{ fontSize: 16, wordBreak: 'break-all' }}
      >
        <span data-testid="one-time-secret">{secret}</span>
      </Typography.Paragraph>
    </div>
  );
}

/** The modal around it; closing it forgets the secret. */
export function OneTimeSecretModal(props: {
  open: boolean;
  title: string;
  label: ReactNode;
  secret: string | null;
  warning: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={props.onClose}
      okText={t('common.close')}
      okButtonProps={tid('secret-close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {props.secret ? <OneTimeSecret label={props.label} secret={props.secret} warning={props.warning} /> : props.label}
    </Modal>
  );
}
