import { Form } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../../contracts/api.ts';
import { usersApi, type GrantInput } from '../../endpoints.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import type { UnitOption } from '../org/orgTree.ts';
import { GrantsFields } from './GrantsFields.tsx';

interface ModalProps {
  user: User | null;
  roles: Role[];
  units: UnitOption[];
  onClose: () => void;
  /** After saving, or a version conflict: close and show the list as it is now. */
  onSaved: () => void;
}

/** Replaces a person's role grants (in the units the editor manages; others stay as they are). */
export function GrantsModal(props: ModalProps) {
  const { t } = useTranslation();
  return (
    <FormModal
      opening={props.user}
      title={(u) => t('users.grantsTitle', { name: u.displayName })}
      width={640}
      formId="grants-form"
      okText={t('common.save')}
      submitTestId="grants-save"
      onClose={props.onClose}
    >
      {(user, setBusy) => <GrantsForm {...props} user={user} setBusy={setBusy} />}
    </FormModal>
  );
}

function GrantsForm(props: ModalProps & { user: User; setBusy: (busy: boolean) => void }) {
  const { user, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ grants?: GrantInput[] }>();
  const initialValues = useMemo(() => ({ grants: user.grants.map((g) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })) }), [user]);

  const save = async (v: { grants?: GrantInput[] }) => {
    await usersApi.replaceGrants(user.id, user.version, (v.grants ?? []).map((g) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })));
    notify.ok(t('users.grantsSaved'));
    props.onSaved();
  };
  const { onFinish, alert } = useFormSubmit(form, ['grants'], save, { setBusy, onConflict: props.onSaved });

  return (
    <Form form={form} id="grants-form" noValidate onFinish={onFinish} initialValues={initialValues} name="grants">
      <GrantsFields form={form} roles={props.roles} units={props.units} />
      <div style={{ marginTop: 16 }}>{alert}</div>
    </Form>
  );
}
