import { Alert, Flex, Form, Input } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contracts/api.ts';
import { rolesApi, type RoleInput } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { PermissionPicker } from './PermissionPicker.tsx';
import { roleName } from './roles.ts';

export type RoleEdit = { mode: 'create' } | { mode: 'edit'; role: Role };

interface DrawerProps {
  edit: RoleEdit | null;
  onClose: () => void;
  /** After saving, or a version conflict: close and show the list as it is now. */
  onSaved: () => void;
}

/** Create a role or change one (built-in roles keep their names). */
export function RoleDrawer(props: DrawerProps) {
  const { t } = useTranslation();
  return (
    <FormDrawer
      opening={props.edit}
      title={(e) => (e.mode === 'edit' ? t('roles.editTitle', { name: roleName(e.role, currentLanguage()) }) : t('roles.createTitle'))}
      size={720}
      formId="role-form"
      submitTestId="role-save"
      onClose={props.onClose}
    >
      {(edit, setBusy) => <RoleForm {...props} edit={edit} setBusy={setBusy} />}
    </FormDrawer>
  );
}

function RoleForm(props: DrawerProps & { edit: RoleEdit; setBusy: (busy: boolean) => void }) {
  const { edit, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<RoleInput>();
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

  const save = async (v: RoleInput) => {
    if (editing) await update(editing, v);
    else {
      await rolesApi.create({ key: v.key.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), description: (v.description ?? '').trim(), permissions: v.permissions });
      notify.ok(t('roles.created'));
    }
    props.onSaved();
  };
  const { onFinish, alert } = useFormSubmit(form, ['key', 'nameZh', 'nameEn', 'description', 'permissions'], save, { setBusy, onConflict: props.onSaved });

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Form form={form} id="role-form" noValidate layout="vertical" onFinish={onFinish} initialValues={initialValues} name="role">
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
