import { Button, Drawer, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A drawer around one form (rendered by the caller with `id={formId}`): Cancel and Save at the
 * top right; Save submits that form through the HTML `form` attribute.
 */
export function FormDrawer(props: {
  open: boolean;
  title: ReactNode;
  size: number;
  formId: string;
  busy: boolean;
  saveTestId: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={props.open}
      title={props.title}
      size={props.size}
      onClose={props.onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={props.onClose}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" form={props.formId} loading={props.busy} data-testid={props.saveTestId}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {props.children}
    </Drawer>
  );
}
