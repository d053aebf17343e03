import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, Col, Form, Input, Radio, Row, Select, Typography } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Ticket, TicketPriority, TicketType } from '../../../contracts/tickets.ts';
import { ApiError } from '../../api.ts';
import { customersApi, ticketsApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CallerPanel, type CallerState, type LookupCustomer } from './CallerPanel.tsx';
import { customFieldsInput, IntakeCustomFields } from './CustomFieldInputs.tsx';
import { channels, normalisePhone, priorities, severities, types } from './model.ts';

interface IntakeValues {
  customerPhone?: string;
  type: TicketType;
  channel: Ticket['channel'];
  categoryId?: string;
  severity?: number;
  priority: TicketPriority;
  subject: string;
  description?: string;
  customerName?: string;
  customFields?: Record<string, unknown>;
}
const KNOWN = ['customerPhone', 'type', 'channel', 'categoryId', 'severity', 'priority', 'subject', 'description', 'customerName', 'customFields'];
const LOOKUP_DELAY_MS = 250;
const blank = (s?: string) => (s && s.trim() ? s.trim() : null);

/**
 * 来电登记: fast, keyboard-first intake of a call. Focus starts in the phone field; the digits typed
 * look the caller up (debounced); Tab walks type → channel → category (type to search) → severity →
 * priority → subject → description → name, arrows choose within a group, Ctrl+Enter registers.
 * An unknown caller with a name gets a customer file, so the next call finds them.
 */
export function IntakePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const notify = useNotify();
  const { message } = App.useApp();
  const { can } = useSession();
  const [params] = useSearchParams();
  const [form] = Form.useForm<IntakeValues>();
  const [busy, setBusy] = useState(false);
  const [caller, setCaller] = useState<CallerState>({ phone: null, searching: false, customers: [], linked: null });
  const categories = useLoaded(ticketsApi.categories, []);
  const type = Form.useWatch('type', form);
  const name = Form.useWatch('customerName', form);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);

  const link = (c: LookupCustomer | null) => {
    setCaller((s) => ({ ...s, linked: c }));
    if (c && !blank(form.getFieldValue('customerName'))) form.setFieldValue('customerName', c.name);
  };

  /** Looks the number up once typing pauses; an older answer is dropped. A file with exactly this number is linked. */
  const onPhone = (raw: string) => {
    clearTimeout(timer.current);
    const phone = normalisePhone(raw);
    const mine = ++seq.current;
    if (phone.replace('+', '').length < 3 || !can('customer:read')) {
      setCaller({ phone: null, searching: false, customers: [], linked: null });
      return;
    }
    setCaller((s) => ({ ...s, phone, searching: true }));
    timer.current = setTimeout(() => {
      customersApi.lookup(phone).then(
        ({ customers }) => {
          if (mine !== seq.current) return;
          const exact = customers.filter((c) => c.phone === phone);
          setCaller({ phone, searching: false, customers, linked: exact.length === 1 ? exact[0] : null });
          if (exact.length === 1 && !blank(form.getFieldValue('customerName'))) form.setFieldValue('customerName', exact[0].name);
        },
        () => mine === seq.current && setCaller({ phone, searching: false, customers: [], linked: null }),
      );
    }, LOOKUP_DELAY_MS);
  };

  /** An unknown caller with a name and a number gets a file; if that fails the order is registered all the same. */
  const customerFor = async (v: IntakeValues): Promise<string | null> => {
    if (caller.linked) return caller.linked.id;
    const customerName = blank(v.customerName);
    const phone = blank(v.customerPhone);
    if (!customerName || !phone) return null;
    try {
      return (await customersApi.create({ name: customerName, phone })).id;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500 || err.status === 0) throw err;
      void message.warning(t('tickets.intake.noCustomerFile', { reason: err.title }));
      return null;
    }
  };

  const { onFinish, alert } = useFormSubmit(
    form,
    KNOWN,
    async (v) => {
      const customerId = await customerFor(v);
      const created = await ticketsApi.create({
        type: v.type,
        channel: v.channel,
        subject: v.subject.trim(),
        description: v.description?.trim() ?? '',
        customerId,
        customerName: blank(v.customerName),
        customerPhone: blank(v.customerPhone),
        categoryId: v.categoryId ?? null,
        priority: v.priority,
        severity: v.type === 'complaint' ? (v.severity ?? null) : null,
        customFields: customFieldsInput(v.customFields),
      });
      notify.ok(t('tickets.intake.created', { number: created.number }));
      navigate(`/tickets/${created.id}`);
    },
    { setBusy },
  );

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
    }
  };
  const radios = <T extends string | number>(values: readonly T[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${String(v)}` as string) }));
  const initialType = types.find((x) => x === params.get('type')) ?? 'complaint';

  return (
    <Page title={t('tickets.intake.title')} testId="intake-page" extra={<Typography.Text type="secondary">{t('tickets.intake.keyboardHint')}</Typography.Text>}>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <div onKeyDown={onKeyDown}>
            <Form<IntakeValues>
              form={form}
              name="intake"
              layout="horizontal"
              labelCol={{ flex: '96px' }}
              labelWrap
              onFinish={onFinish}
              noValidate
              initialValues={{ type: initialType, channel: 'phone', priority: 'normal' }}
            >
              <Form.Item
                name="customerPhone"
                label={t('tickets.intake.phone')}
                rules={[{ pattern: /^\+?[0-9\- ()]*$/, message: t('tickets.intake.phoneInvalid') }]}
              >
                <Input autoFocus inputMode="tel" maxLength={32} prefix={<PhoneOutlined />} autoComplete="off" onChange={(e) => onPhone(e.target.value)} data-testid="intake-phone" />
              </Form.Item>
              <Form.Item name="type" label={t('tickets.fields.type')}>
                <Radio.Group optionType="button" buttonStyle="solid" options={radios(types, 'tickets.types')} data-testid="intake-type" />
              </Form.Item>
              <Form.Item name="channel" label={t('tickets.fields.channel')}>
                <Radio.Group optionType="button" options={radios(channels, 'tickets.channels')} data-testid="intake-channel" />
              </Form.Item>
              <Form.Item name="categoryId" label={t('tickets.fields.category')}>
                {/* No clear button: in antd 6 it is a tab stop of its own, one more key for every call. */}
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('tickets.intake.categoryPlaceholder')}
                  options={categories.data.filter((c) => c.enabled).map((c) => ({ value: c.id, label: c.name }))}
                  style={{ maxWidth: 280 }}
                  data-testid="intake-category"
                />
              </Form.Item>
              {type === 'complaint' && (
                <Form.Item name="severity" label={t('tickets.fields.severity')} extra={t('tickets.intake.severityHelp')}>
                  <Radio.Group optionType="button" options={radios(severities, 'tickets.severities')} data-testid="intake-severity" />
                </Form.Item>
              )}
              <Form.Item name="priority" label={t('tickets.fields.priority')}>
                <Radio.Group optionType="button" options={radios(priorities, 'tickets.priorities')} data-testid="intake-priority" />
              </Form.Item>
              <Form.Item name="subject" label={t('tickets.fields.subject')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
                <Input maxLength={200} placeholder={t('tickets.intake.subjectPlaceholder')} data-testid="intake-subject" />
              </Form.Item>
              <Form.Item name="description" label={t('tickets.fields.description')}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} placeholder={t('tickets.intake.descriptionPlaceholder')} data-testid="intake-description" />
              </Form.Item>
              <Form.Item name="customerName" label={t('tickets.fields.customerName')}>
                <Input maxLength={64} autoComplete="off" style={{ maxWidth: 280 }} data-testid="intake-customer-name" />
              </Form.Item>
              <IntakeCustomFields type={type} />
              {alert}
              <Form.Item label=" " colon={false}>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="intake-submit">
                  {t('tickets.intake.submit')}
                </Button>
                <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                  {t('tickets.intake.submitHint')}
                </Typography.Text>
              </Form.Item>
            </Form>
          </div>
        </Col>
        <Col xs={24} lg={10}>
          <CallerPanel state={caller} onLink={link} willCreate={!!blank(name)} />
        </Col>
      </Row>
    </Page>
  );
}
