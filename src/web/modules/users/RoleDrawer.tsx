import { Alert, Flex, Form, Input } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contracts/api.ts';
import { ApiError } from '../../api.ts';
import { rolesApi, type RoleInput } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useFormErrors, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormDrawer.tsx';
import { useOpening } from '../../ui/useOpening.ts';
import { PermissionPicker } from './PermissionPicker.tsx';
import { roleName } from './roles.ts';

export type RoleEdit = { mode: 'create' } | { mode: 'edit'; role: Role };

interface DrawerProps {
  edit: RoleEdit | null;
  onClose: () => void;
  onSaved: () => void;
  onConflict: () => void;
}

/** Create a role or change one (built-in roles keep their names). */
export function RoleDrawer(props: DrawerProps) {
  const { t } = useTranslation();
  const { shown, key } = useOpening(props.edit);
  const [busy, setBusy] = useState(false);
  return (
    <FormDrawer
      open={props.edit !== null}
      title={shown?.mode === 'edit' ? t('roles.editTitle', { name: roleName(shown.role, currentLanguage()) }) : t('roles.createTitle')}
      size={720}
      formId="role-form"
      busy={busy}
      saveTestId="role-save"
      onClose={props.onClose}
    >
      {shown && <RoleForm key={key} {...props} edit={shown} setBusy={setBusy} />}
    </FormDrawer>
  );
}

function RoleForm(props: DrawerProps & { edit: RoleEdit; setBusy: (busy: boolean) => void }) {
  const { edit, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<RoleInput>();
  const { fail, clear, alert } = useFormErrors(form, ['key', 'nameZh', 'nameEn', 'description', 'permissions']);
  const editing = edit.mode === 'edit' ? edit.role : null;
  const initialValues = useMemo<Partial<RoleInput>>(
    () =>
      editing
        ? { key: editing.key, nameZh: editing.nameZh, nameEn: editing.nameEn, description: editing.description, permissions: editing.permissions }
        : { permissions: [], description: '' },
    [editing],
  );

  /** Sends only what changed (never the names of a built-in role), with the version that was read. */
  const update = async (r: Role, v: RoleInput) => {
    const description = (v.description ?? '').trim();
    const samePermissions = [...r.permissions].sort().join() === [...v.permissions].sort().join();
    await rolesApi.update(r.id, {
      version: r.version,
      ...(!r.builtIn && v.nameZh.trim() !== r.nameZh ? { nameZh: v.nameZh.trim() } : {}),
      ...(!r.builtIn && v.nameEn.trim() !== r.nameEn ? { nameEn: v.nameEn.trim() } : {}),
      ...(description !== r.description ? { description } : {}),
      ...(samePermissions ? {} : { permissions: v.permissions }),
    });
    notify.ok(t('roles.updated'));
  };

  const submit = async (v: RoleInput) => {
    clear();
    setBusy(true);
    try {
      if (editing) await update(editing, v);
      else {
        await rolesApi.create({ key: v.key.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), description: (v.description ?? '').trim(), permissions: v.permissions });
        notify.ok(t('roles.created'));
      }
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') notify.fail(err, props.onConflict);
      else fail(err);
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Form form={form} id="role-form" noValidate layout="vertical" onFinish={submit} initialValues={initialValues} name="role">
      {editing?.builtIn && <Alert type="info" showIcon title={t('roles.builtInHint')} style={{ marginBottom: 16 }} />}
      <Form.Item name="key" label={t('roles.key')} extra={editing ? undefined : t('roles.keyHelp')} rules={required}>
        <Input disabled={!!editing} maxLength={40} data-testid="role-key" />
      </Form.Item>
      <Flex gap={12}>
        <Form.Item name="nameZh" label={t('roles.nameZh')} rules={required} style={{ flex: 1 }}>
          <Input disabled={editing?.builtIn} maxLength={40} data-testid="role-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('roles.nameEn')} rules={required} style={{ flex: 1 }}>
          <Input disabled={editing?.builtIn} maxLength={40} data-testid="role-name-en" />
        </Form.Item>
      </Flex>
      <Form.Item name="description" label={t('roles.description')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="role-description" />
      </Form.Item>
      <Form.Item
        name="permissions"
        label={t('roles.permissions')}
        rules={[{ validator: (_, v: string[] | undefined) => (v && v.length ? Promise.resolve() : Promise.reject(new Error(t('roles.noPermissions')))) }]}
      >
        <PermissionPicker />
      </Form.Item>
      {alert}
    </Form>
  );
}
