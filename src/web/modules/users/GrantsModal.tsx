import { Form } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../../contracts/api.ts';
import { ApiError } from '../../api.ts';
import { usersApi, type GrantInput } from '../../endpoints.ts';
import { useFormErrors, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormModal.tsx';
import { useOpening } from '../../ui/useOpening.ts';
import type { UnitOption } from '../org/orgTree.ts';
import { GrantsFields } from './GrantsFields.tsx';

interface ModalProps {
  user: User | null;
  roles: Role[];
  units: UnitOption[];
  onClose: () => void;
  onSaved: () => void;
  onConflict: () => void;
}

/** Replaces a person's role grants (in the units the editor manages; others stay as they are). */
export function GrantsModal(props: ModalProps) {
  const { t } = useTranslation();
  const { shown, key } = useOpening(props.user);
  const [busy, setBusy] = useState(false);
  return (
    <FormModal
      open={props.user !== null}
      title={shown ? t('users.grantsTitle', { name: shown.displayName }) : ''}
      width={640}
      formId="grants-form"
      okText={t('common.save')}
      busy={busy}
      okTestId="grants-save"
      onClose={props.onClose}
    >
      {shown && <GrantsForm key={key} {...props} user={shown} setBusy={setBusy} />}
    </FormModal>
  );
}

function GrantsForm(props: ModalProps & { user: User; setBusy: (busy: boolean) => void }) {
  const { user, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ grants: GrantInput[] }>();
  const { fail, clear, alert } = useFormErrors(form, ['grants']);
  const initialValues = useMemo(() => ({ grants: user.grants.map((g) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })) }), [user]);

  const submit = async (v: { grants?: GrantInput[] }) => {
    clear();
    setBusy(true);
    try {
      await usersApi.replaceGrants(user.id, user.version, (v.grants ?? []).map((g) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })));
      notify.ok(t('users.grantsSaved'));
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') notify.fail(err, props.onConflict);
      else fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} id="grants-form" noValidate onFinish={submit} initialValues={initialValues} name="grants">
      <GrantsFields form={form} roles={props.roles} units={props.units} />
      <div style={{ marginTop: 16 }}>{alert}</div>
    </Form>
  );
}
