import { Divider, Flex, Form, Input, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../../contracts/api.ts';
import { usersApi, type GrantInput } from '../../endpoints.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import type { UnitOption } from '../org/orgTree.ts';
import { GrantsFields } from './GrantsFields.tsx';

export type UserEdit = { mode: 'create' } | { mode: 'edit'; user: User };

interface UserValues {
  username: string;
  displayName: string;
  phone?: string;
  email?: string;
  employeeNo?: string;
  orgUnitId: string;
  password?: string;
  grants?: GrantInput[];
}

interface DrawerProps {
  edit: UserEdit | null;
  roles: Role[];
  units: UnitOption[];
  onClose: () => void;
  onCreated: (user: User, initialPassword: string | null) => void;
  /** After an update, or a version conflict: close and show the list as it is now. */
  onUpdated: () => void;
}

const blankToNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
const KNOWN = ['username', 'displayName', 'phone', 'email', 'employeeNo', 'orgUnitId', 'password', 'grants'];

/** Create a person (with an optional password and grants) or edit one's details. */
export function UserDrawer(props: DrawerProps) {
  const { t } = useTranslation();
  return (
    <FormDrawer
      opening={props.edit}
      title={(e) => (e.mode === 'edit' ? t('users.editTitle', { name: e.user.displayName }) : t('users.createTitle'))}
      size={560}
      formId="user-form"
      submitTestId="user-save"
      onClose={props.onClose}
    >
      {(edit, setBusy) => <UserForm {...props} edit={edit} setBusy={setBusy} />}
    </FormDrawer>
  );
}

function UserForm(props: DrawerProps & { edit: UserEdit; setBusy: (busy: boolean) => void }) {
  const { edit, roles, units, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<UserValues>();
  const editing = edit.mode === 'edit' ? edit.user : null;

  const initialValues = useMemo<Partial<UserValues>>(() => {
    if (!editing) return { grants: [] };
    const u = editing;
    return { username: u.username, displayName: u.displayName, phone: u.phone ?? '', email: u.email ?? '', employeeNo: u.employeeNo ?? '', orgUnitId: u.orgUnitId };
  }, [editing]);

  const create = async (v: UserValues) => {
    const r = await usersApi.create({
      username: v.username.trim(),
      displayName: v.displayName.trim(),
      phone: blankToNull(v.phone),
      email: blankToNull(v.email),
      employeeNo: blankToNull(v.employeeNo),
      orgUnitId: v.orgUnitId,
      ...(v.password ? { password: v.password } : {}),
      grants: (v.grants ?? []).map((g) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })),
    });
    props.onCreated(r.user, r.initialPassword);
  };

  /** Sends only what changed, with the version that was read. */
  const update = async (u: User, v: UserValues) => {
    const next = {
      displayName: v.displayName.trim(),
      phone: blankToNull(v.phone),
      email: blankToNull(v.email),
      employeeNo: blankToNull(v.employeeNo),
      orgUnitId: v.orgUnitId,
    };
    const changed = Object.fromEntries(Object.entries(next).filter(([k, value]) => value !== u[k as keyof typeof next]));
    await usersApi.update(u.id, { version: u.version, ...changed });
    notify.ok(t('users.updated'));
    props.onUpdated();
  };

  const { onFinish, alert } = useFormSubmit(form, KNOWN, (v) => (editing ? update(editing, v) : create(v)), {
    setBusy,
    onConflict: editing ? props.onUpdated : undefined,
  });

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Form form={form} id="user-form" noValidate layout="vertical" onFinish={onFinish} name="user" initialValues={initialValues}>
      <Form.Item name="username" label={t('users.username')} extra={editing ? undefined : t('users.usernameHelp')} rules={required}>
        <Input disabled={!!editing} maxLength={64} autoComplete="off" data-testid="user-username" />
      </Form.Item>
      <Form.Item name="displayName" label={t('users.displayName')} rules={required}>
        <Input maxLength={64} data-testid="user-display-name" />
      </Form.Item>
      <Flex gap={12}>
        <Form.Item name="phone" label={t('users.phone')} style={{ flex: 1 }}>
          <Input maxLength={32} data-testid="user-phone" />
        </Form.Item>
        <Form.Item name="employeeNo" label={t('users.employeeNo')} style={{ flex: 1 }}>
          <Input maxLength={32} data-testid="user-employee-no" />
        </Form.Item>
      </Flex>
      <Form.Item name="email" label={t('users.email')}>
        <Input maxLength={254} inputMode="email" data-testid="user-email" />
      </Form.Item>
      <Form.Item name="orgUnitId" label={t('users.unit')} rules={[{ required: true, message: t('common.required') }]}>
        <TreeSelect treeData={units} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="user-unit" />
      </Form.Item>
      {!editing && (
        <>
          <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHelp')}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
          <Divider titlePlacement="start">{t('users.roles')}</Divider>
          <GrantsFields form={form} roles={roles} units={units} defaultUnitField="orgUnitId" />
        </>
      )}
      <div style={{ marginTop: 16 }}>{alert}</div>
    </Form>
  );
}
