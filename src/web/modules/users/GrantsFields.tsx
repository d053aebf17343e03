import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Form, Select, TreeSelect, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contracts/api.ts';
import { currentLanguage } from '../../i18n/index.ts';
import type { UnitOption } from '../org/orgTree.ts';
import { roleName } from './roles.ts';

/**
 * The grants editor: a list of (role, unit) pairs in the form field `grants`. A new pair starts
 * in the unit named by the form field `defaultUnitField` (the person's own unit), when set.
 */
export function GrantsFields({ form, roles, units, defaultUnitField }: { form: FormInstance; roles: Role[]; units: UnitOption[]; defaultUnitField?: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const roleOptions = roles.map((r) => ({ value: r.id, label: roleName(r, lang) }));
  return (
    <Form.List name="grants">
      {(fields, { add, remove }) => (
        <div data-testid="grants-editor">
          <Typography.Paragraph type="secondary">{t('grants.help')}</Typography.Paragraph>
          {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('grants.empty')} style={{ margin: '8px 0' }} />}
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="start">
              <Form.Item name={[field.name, 'roleId']} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, marginBottom: 12 }}>
                <Select
                  placeholder={t('grants.role')}
                  aria-label={t('grants.role')}
                  options={roleOptions}
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid={`grant-role-${index}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'orgUnitId']} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, marginBottom: 12 }}>
                <TreeSelect
                  placeholder={t('grants.unit')}
                  aria-label={t('grants.unit')}
                  treeData={units}
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  data-testid={`grant-unit-${index}`}
                />
              </Form.Item>
              <Button icon={<DeleteOutlined />} aria-label={t('grants.remove')} title={t('grants.remove')} onClick={() => remove(field.name)} />
            </Flex>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            block
            data-testid="grant-add"
            onClick={() => add({ roleId: undefined, orgUnitId: defaultUnitField ? form.getFieldValue(defaultUnitField) : undefined })}
          >
            {t('grants.add')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
