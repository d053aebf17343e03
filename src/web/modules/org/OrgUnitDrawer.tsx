import { Form, Input, Select, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../contracts/api.ts';
import { orgApi, type UnitKind } from '../../endpoints.ts';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { kindRank, kindsUnder, unitOptions, type UnitTreeNode } from './orgTree.ts';

/** What the drawer does: create a unit (under a parent, or at the top), or edit/move one. */
export type UnitEdit = { mode: 'create'; parentId: string | null } | { mode: 'edit'; unit: OrgUnit };

interface UnitValues {
  parentId: string | null;
  kind: UnitKind;
  name: string;
  code: string;
  timeZone: string;
}

let zones: string[] | undefined;
function timeZones(): string[] {
  zones ??= ['Asia/Shanghai', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'Asia/Shanghai')];
  return zones;
}

interface DrawerProps {
  edit: UnitEdit | null;
  tree: UnitTreeNode[];
  byId: Map<string, OrgUnit>;
  onClose: () => void;
  /** After saving, or a version conflict: close and show the tree as it is now. */
  onSaved: () => void;
}

export function OrgUnitDrawer(props: DrawerProps) {
  const { t } = useTranslation();
  return (
    <FormDrawer
      opening={props.edit}
      title={(e) => (e.mode === 'edit' ? t('org.editTitle') : t('org.createTitle'))}
      size={480}
      formId="unit-form"
      submitTestId="unit-save"
      onClose={props.onClose}
    >
      {(edit, setBusy) => <UnitForm {...props} edit={edit} setBusy={setBusy} />}
    </FormDrawer>
  );
}

function UnitForm(props: DrawerProps & { edit: UnitEdit; setBusy: (busy: boolean) => void }) {
  const { edit, tree, byId, setBusy } = props;
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<UnitValues>();
  const parentId = Form.useWatch('parentId', form) ?? null;
  const editing = edit?.mode === 'edit' ? edit.unit : null;

  // The form mounts afresh at each opening, so its initial values are the unit's.
  const initialValues = useMemo<Partial<UnitValues>>(() => {
    if (edit.mode === 'edit') {
      const u = edit.unit;
      return { parentId: u.parentId, kind: u.kind, name: u.name, code: u.code, timeZone: u.timeZone };
    }
    const parent = edit.parentId ? byId.get(edit.parentId) : undefined;
    return { parentId: edit.parentId, kind: kindsUnder(parent?.kind ?? null)[0], timeZone: parent?.timeZone ?? 'Asia/Shanghai' };
  }, [edit, byId]);

  const parentKind = parentId ? (byId.get(parentId)?.kind ?? null) : null;
  const kinds = useMemo(() => kindsUnder(parentKind), [parentKind]);
  useEffect(() => {
    if (!editing && form.getFieldValue('kind') && !kinds.includes(form.getFieldValue('kind'))) form.setFieldValue('kind', kinds[0]);
  }, [kinds, editing, form]);

  // A unit cannot move under itself or its own sub-units, nor under a unit of the same or a lower level.
  const parentOptions = useMemo(
    () =>
      unitOptions(tree, (u) =>
        editing ? u.path.startsWith(editing.path) || kindRank[u.kind] >= kindRank[editing.kind] : u.kind === 'team',
      ),
    [tree, editing],
  );

  const save = async (v: UnitValues) => {
    if (!editing) {
      await orgApi.create({ parentId: v.parentId ?? null, kind: v.kind, name: v.name.trim(), code: v.code.trim(), timeZone: v.timeZone });
      notify.ok(t('org.created'));
    } else {
      await orgApi.update(editing.id, {
        version: editing.version,
        ...(v.name.trim() !== editing.name ? { name: v.name.trim() } : {}),
        ...(v.code.trim() !== editing.code ? { code: v.code.trim() } : {}),
        ...(v.timeZone !== editing.timeZone ? { timeZone: v.timeZone } : {}),
        ...(v.parentId && v.parentId !== editing.parentId ? { parentId: v.parentId } : {}),
      });
      notify.ok(t('org.updated'));
    }
    props.onSaved();
  };
  const { onFinish, alert } = useFormSubmit(form, ['parentId', 'kind', 'name', 'code', 'timeZone'], save, { setBusy, onConflict: props.onSaved });

  return (
    <Form form={form} id="unit-form" noValidate layout="vertical" onFinish={onFinish} name="unit" initialValues={initialValues}>
      <Form.Item name="parentId" label={t('org.parent')} extra={editing ? t('org.parentHelp') : undefined}>
        <TreeSelect
          treeData={parentOptions}
          treeDefaultExpandAll
          allowClear={!editing}
          placeholder={t('org.topLevel')}
          disabled={editing !== null && editing.parentId === null}
          data-testid="unit-parent"
          showSearch={{ treeNodeFilterProp: 'title' }}
        />
      </Form.Item>
      <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          disabled={editing !== null}
          data-testid="unit-kind"
          options={(editing ? [editing.kind] : kinds).map((k) => ({ value: k, label: t(`org.kinds.${k}`) }))}
        />
      </Form.Item>
      <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={100} data-testid="unit-name" />
      </Form.Item>
      <Form.Item name="code" label={t('org.code')} extra={t('org.codeHelp')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={32} data-testid="unit-code" />
      </Form.Item>
      <Form.Item name="timeZone" label={t('org.timeZone')} rules={[{ required: true, message: t('common.required') }]}>
        <Select showSearch options={timeZones().map((z) => ({ value: z, label: z }))} data-testid="unit-timezone" />
      </Form.Item>
      {alert}
    </Form>
  );
}
