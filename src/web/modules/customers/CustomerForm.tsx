import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Col, Divider, Form, Input, Row, Select, Space, Switch } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import {
  confidentialityLevels,
  creditClasses,
  customerCategories,
  customerKinds,
  identifierKinds,
  protectedSections,
  type CustomerFile,
  type IdentifierKind,
} from '../../../contracts/customers.ts';
import type { FieldDefinition } from '../../../contracts/ticket-settings.ts';
import { useFormSubmit } from '../../ui/errors.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { customFieldsInput, CustomFieldItems } from '../tickets/CustomFieldInputs.tsx';
import { customersApi, type CustomerFileInput } from './customersApi.ts';

interface Values {
  name: string;
  kind: (typeof customerKinds)[number];
  phone?: string;
  email?: string;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: string;
  birthdayLunar?: boolean;
  position?: string;
  address?: string;
  industry?: string;
  orgSize?: string;
  relationSince?: string;
  tier: 'strategic' | 'key' | 'ordinary';
  vip: boolean;
  category: (typeof customerCategories)[number];
  memberLevel?: string;
  creditClass?: (typeof creditClasses)[number];
  creditDate?: string;
  creditBasis?: string;
  needs?: string;
  preferences?: string;
  notes?: string;
  tags?: string[];
  confidentiality: (typeof confidentialityLevels)[number];
  declassifyOn?: string;
  protectedSections?: (typeof protectedSections)[number][];
  identifiers?: { kind: IdentifierKind; value: string }[];
  customFields?: Record<string, unknown>;
}

const fields = ['name', 'kind', 'phone', 'email', 'gender', 'birthday', 'birthdayLunar', 'position', 'address', 'industry', 'orgSize', 'relationSince', 'tier', 'vip', 'category', 'memberLevel', 'creditClass', 'creditDate', 'creditBasis', 'needs', 'preferences', 'notes', 'tags', 'confidentiality', 'declassifyOn', 'protectedSections', 'identifiers', 'customFields'] as const;
const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

/**
 * Create or edit a customer file (customer:manage). Editing starts from a fully shown file (opened when
 * protected), so no masked value is ever sent back; identifiers given replace the list.
 */
export function CustomerForm({ file, setBusy, onDone, onConflict }: { file?: CustomerFile; setBusy: (b: boolean) => void; onDone: (c: CustomerFile) => void; onConflict?: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const level = Form.useWatch('confidentiality', form);
  // 自定义字段 of the file's company (a new file: the caller's); the enabled ones are filled in here.
  const loadFields = useCallback(() => customersApi.fields(file?.orgUnitId), [file?.orgUnitId]);
  const customFields = useLoaded(loadFields, [] as FieldDefinition[]).data.filter((d) => d.enabled);
  const { onFinish, alert } = useFormSubmit(
    form,
    fields,
    async (v) => {
      const body: CustomerFileInput = {
        name: v.name.trim(),
        kind: v.kind,
        phone: orNull(v.phone),
        email: orNull(v.email),
        gender: v.gender ?? null,
        birthday: orNull(v.birthday),
        birthdayLunar: v.birthdayLunar ?? false,
        position: orNull(v.position),
        address: orNull(v.address),
        industry: orNull(v.industry),
        orgSize: orNull(v.orgSize),
        relationSince: orNull(v.relationSince),
        tier: v.tier,
        vip: v.vip,
        category: v.category,
        memberLevel: orNull(v.memberLevel),
        creditClass: v.creditClass ?? null,
        creditDate: orNull(v.creditDate),
        creditBasis: orNull(v.creditBasis),
        needs: orNull(v.needs),
        preferences: orNull(v.preferences),
        notes: orNull(v.notes),
        tags: v.tags ?? [],
        confidentiality: v.confidentiality,
        declassifyOn: v.confidentiality === 'ordinary' ? null : orNull(v.declassifyOn),
        ...(v.confidentiality === 'ordinary' ? {} : { protectedSections: v.protectedSections?.length ? v.protectedSections : [...protectedSections] }),
        identifiers: (v.identifiers ?? []).filter((i) => i?.value?.trim()),
        ...(customFields.length ? { customFields: customFieldsInput(v.customFields) } : {}),
      };
      const saved = file ? await customersApi.update(file.id, { ...body, version: file.version }) : await customersApi.create(body);
      onDone(saved);
    },
    { setBusy, onConflict },
  );
  const initial: Partial<Values> = file
    ? {
        name: file.name,
        kind: file.kind,
        phone: file.phone ?? undefined,
        email: file.email ?? undefined,
        gender: (file.gender as Values['gender']) ?? undefined,
        birthday: file.birthday ?? undefined,
        birthdayLunar: file.birthdayLunar,
        position: file.position ?? undefined,
        address: file.address ?? undefined,
        industry: file.industry ?? undefined,
        orgSize: file.orgSize ?? undefined,
        relationSince: file.relationSince ?? undefined,
        tier: file.tier,
        vip: file.vip,
        category: file.category,
        memberLevel: file.memberLevel ?? undefined,
        creditClass: file.creditClass ?? undefined,
        creditDate: file.creditDate ?? undefined,
        creditBasis: file.creditBasis ?? undefined,
        needs: file.needs ?? undefined,
        preferences: file.preferences ?? undefined,
        notes: file.notes ?? undefined,
        tags: file.tags,
        confidentiality: file.confidentiality,
        declassifyOn: file.declassifyOn ?? undefined,
        protectedSections: file.access.protectedSections.length ? file.access.protectedSections : undefined,
        identifiers: file.identifiers.map((i) => ({ kind: i.kind, value: i.value })),
        customFields: file.customFields ?? undefined,
      }
    : { kind: 'person', tier: 'ordinary', vip: false, category: 'A', confidentiality: 'ordinary' };
  const required = { required: true, message: t('common.required') };
  const dateRule = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('customerFiles.dateFormat') };
  const label = (k: string) => t(`customerFiles.fields.${k}`);
  return (
    <Form form={form} id="customer-form" layout="vertical" onFinish={onFinish} initialValues={initial} noValidate>
      <Row gutter={12}>
        <Col span={16}>
          <Form.Item name="name" label={label('name')} rules={[{ ...required, whitespace: true }]}>
            <Input maxLength={64} data-testid="customer-name" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="kind" label={label('kind')}>
            <Select options={customerKinds.map((k) => ({ value: k, label: t(`customerFiles.kinds.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="phone" label={label('phone')}>
            <Input maxLength={32} data-testid="customer-phone-input" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="email" label={label('email')}>
            <Input maxLength={254} />
          </Form.Item>
        </Col>
        {kind === 'organisation' ? (
          <>
            <Col span={8}>
              <Form.Item name="industry" label={label('industry')}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="orgSize" label={label('orgSize')}>
                <Input maxLength={32} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="relationSince" label={label('relationSince')} rules={[dateRule]}>
                <Input placeholder="YYYY-MM-DD" maxLength={10} />
              </Form.Item>
            </Col>
          </>
        ) : (
          <>
            <Col span={6}>
              <Form.Item name="gender" label={label('gender')}>
                <Select allowClear options={(['male', 'female', 'unknown'] as const).map((g) => ({ value: g, label: t(`customerFiles.genders.${g}`) }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="birthday" label={label('birthday')} rules={[dateRule]}>
                <Input placeholder="YYYY-MM-DD" maxLength={10} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="birthdayLunar" label={label('birthdayLunar')} valuePropName="checked">
                <Checkbox />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="position" label={label('position')}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col span={24}>
          <Form.Item name="address" label={label('address')}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      <Divider plain>{t('customerFiles.sections.classification')}</Divider>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="category" label={label('category')}>
            <Select options={customerCategories.map((c) => ({ value: c, label: t(`customerFiles.categories.${c}`) }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="tier" label={label('tier')}>
            <Select options={(['strategic', 'key', 'ordinary'] as const).map((c) => ({ value: c, label: t(`customerFiles.tiers.${c}`) }))} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="vip" label={label('vip')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="memberLevel" label={label('memberLevel')}>
            <Input maxLength={32} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="creditClass" label={label('creditClass')}>
            <Select allowClear options={creditClasses.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="creditDate" label={label('creditDate')} rules={[dateRule]}>
            <Input placeholder="YYYY-MM-DD" maxLength={10} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="creditBasis" label={label('creditBasis')}>
            <Input maxLength={500} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="tags" label={label('tags')}>
            <Select mode="tags" maxCount={20} open={false} />
          </Form.Item>
        </Col>
      </Row>
      <Divider plain>{t('customerFiles.sections.identifiers')}</Divider>
      <Form.List name="identifiers">
        {(items, { add, remove }) => (
          <>
            {items.map((item) => (
              <Space key={item.key} align="baseline" style={{ display: 'flex' }}>
                <Form.Item name={[item.name, 'kind']} rules={[required]}>
                  <Select style={{ width: 140 }} options={identifierKinds.map((k) => ({ value: k, label: t(`customerFiles.identifierKinds.${k}`) }))} aria-label={label('identifierKind')} />
                </Form.Item>
                <Form.Item name={[item.name, 'value']} rules={[{ ...required, whitespace: true }]}>
                  <Input maxLength={254} style={{ width: 300 }} aria-label={label('identifierValue')} />
                </Form.Item>
                <MinusCircleOutlined onClick={() => remove(item.name)} aria-label={t('customerFiles.removeIdentifier')} />
              </Space>
            ))}
            {items.length < 20 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'id_number', value: '' })}>
                {t('customerFiles.addIdentifier')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Divider plain>{t('customerFiles.sections.notes')}</Divider>
      <Form.Item name="needs" label={label('needs')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
      </Form.Item>
      <Form.Item name="preferences" label={label('preferences')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
      </Form.Item>
      <Form.Item name="notes" label={label('notes')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={4000} data-testid="customer-notes" />
      </Form.Item>
      {customFields.length > 0 && (
        <div data-testid="customer-custom-fields">
          <CustomFieldItems definitions={customFields} />
        </div>
      )}
      <Divider plain>{t('customerFiles.sections.confidentiality')}</Divider>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="confidentiality" label={label('level')}>
            <Select options={confidentialityLevels.map((l) => ({ value: l, label: t(`customerFiles.levels.${l}`) }))} data-testid="customer-level-select" />
          </Form.Item>
        </Col>
        {level && level !== 'ordinary' && (
          <>
            <Col span={8}>
              <Form.Item name="declassifyOn" label={label('declassifyOn')} rules={[dateRule]}>
                <Input placeholder="YYYY-MM-DD" maxLength={10} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="protectedSections" label={label('protectedSections')}>
                <Checkbox.Group options={protectedSections.map((s) => ({ value: s, label: t(`customerFiles.sections.${s}`) }))} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      {alert}
    </Form>
  );
}
