import { EyeOutlined, KeyOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Form, Input, Result, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { CustomerFile, ProtectedSection } from '../../../contracts/customers.ts';
import { ApiError, errorText } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer, FormModal } from '../../ui/FormOverlay.tsx';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { DestructionRequestButton } from '../destruction/DestructionRequestButton.tsx';
import { AccessRequestForm } from '../customer-access/AccessRequestForm.tsx';
import { CustomerCustomFields } from './CustomerCustomFields.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { CustomerRelations } from './CustomerRelations.tsx';
import { LevelTag } from './CustomerTags.tsx';
import { MergeInfo } from '../customer-merge/MergeInfo.tsx';
import { customersApi } from './customersApi.ts';
import { CustomerSurveys } from '../surveys/CustomerSurveys.tsx';

/**
 * One customer file in sections. Protected sections arrive masked or hidden from the server; a reader
 * holding the level's permission opens (查阅) the file with a reason — recorded in the reading log — and
 * then sees them. Editing starts from a fully shown file.
 */
export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const load = useCallback(() => customersApi.get(id), [id]);
  const { data, error, loading, reload } = useLoaded<CustomerFile | null>(load, null);
  const [opened, setOpened] = useState<CustomerFile | null>(null);
  // The reading record of that opening: it shows the contacts and notes the file protects (CustomerRelations).
  const [readingId, setReadingId] = useState<string | null>(null);
  const [asking, setAsking] = useState<object | null>(null);
  const [editing, setEditing] = useState<object | null>(null);
  const [requesting, setRequesting] = useState<object | null>(null);
  const notify = useNotify();
  useEffect(() => {
    setOpened(null);
    setReadingId(null);
  }, [data]);

  const f = opened ?? data;
  if (!f) {
    if (error instanceof ApiError && error.status === 404) {
      return <Result status="404" title={t('customerFiles.notFound')} extra={<Link to="/customers"><Button type="primary">{t('customerFiles.backToList')}</Button></Link>} />;
    }
    if (error) return <Alert type="error" showIcon title={errorText(error)} />;
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  }
  const restricted = new Set<ProtectedSection>(f.access.restrictedSections);
  const fullyShown = restricted.size === 0 && f.identifiers.every((i) => !i.masked);
  const hidden = <Typography.Text type="secondary" data-testid="customer-hidden">{t('customerFiles.hidden')}</Typography.Text>;
  const show = (section: ProtectedSection, v: ReactNode) => (restricted.has(section) ? hidden : (v ?? t('common.none')));
  const none = (v: string | null | undefined) => v || t('common.none');
  const label = (k: string) => t(`customerFiles.fields.${k}`);
  // A destroyed file (tombstone) or one merged into another (pointer) is never written again: the server refuses it.
  const frozen = Boolean(f.destroyedAt || f.mergedIntoId);
  const mayOpen = f.access.canOpen && (restricted.size > 0 || f.identifiers.some((i) => i.masked));

  return (
    <div data-testid="customer-page">
      <Page
        title={f.name}
        extra={
          <Space wrap>
            <LevelTag level={f.confidentiality} declassified={f.access.declassified} />
            {f.archived && <Tag>{t('customerFiles.archived')}</Tag>}
            {mayOpen && (
              <Button type="primary" icon={<EyeOutlined />} onClick={() => setAsking({})} data-testid="customer-open">
                {t('customerFiles.open')}
              </Button>
            )}
            {restricted.size > 0 && !f.access.canOpen && !opened && (
              <Button icon={<KeyOutlined />} onClick={() => setRequesting({})} data-testid="customer-request-access">
                {t('customerAccess.request')}
              </Button>
            )}
            {can('customer:manage') && !frozen && (
              <Button onClick={() => setEditing({})} disabled={!fullyShown} title={fullyShown ? undefined : t('customerFiles.openToEdit')} data-testid="customer-edit">
                {t('common.edit')}
              </Button>
            )}
            {can('customer:manage') && !frozen && (
              <Button
                onClick={() => void notify.run(customersApi.archive(f.id, f.version, !f.archived), t('common.saved'), reload).then((ok) => ok && void reload())}
                data-testid="customer-archive"
              >
                {f.archived ? t('customerFiles.unarchive') : t('customerFiles.archive')}
              </Button>
            )}
            {can('customer:manage') && (
              <Link to={`/customer-reading-log?customerId=${f.id}`}>
                <Button data-testid="customer-log-link">{t('customerFiles.readingLogMenu')}</Button>
              </Link>
            )}
            <DestructionRequestButton file={f} />
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading} aria-label={t('common.refresh')} />
          </Space>
        }
      >
        {restricted.size > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="customer-masked"
            title={t('customerFiles.maskedNotice', { level: t(`customerFiles.levels.${f.access.effectiveLevel}`) })}
            description={f.access.canOpen ? t('customerFiles.openHint') : t('customerFiles.noPermission')}
          />
        )}
        {opened && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="customer-opened" title={t('customerFiles.openedNotice')} />
        )}
        <MergeInfo file={f} />
        <Descriptions title={t('customerFiles.sections.basic')} bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={label('kind')}>{t(`customerFiles.kinds.${f.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={label('unit')}>{f.orgUnitName}</Descriptions.Item>
          {f.kind === 'organisation' ? (
            <>
              <Descriptions.Item label={label('industry')}>{none(f.industry)}</Descriptions.Item>
              <Descriptions.Item label={label('orgSize')}>{none(f.orgSize)}</Descriptions.Item>
              <Descriptions.Item label={label('relationSince')}>{none(f.relationSince)}</Descriptions.Item>
            </>
          ) : (
            <>
              <Descriptions.Item label={label('gender')}>{f.gender ? t(`customerFiles.genders.${f.gender}`) : t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={label('birthday')}>
                {f.birthday ? `${f.birthday}${f.birthdayLunar ? ` (${t('customerFiles.lunar')})` : ''}` : t('common.none')}
              </Descriptions.Item>
              <Descriptions.Item label={label('position')}>{none(f.position)}</Descriptions.Item>
            </>
          )}
          <Descriptions.Item label={label('owner')}>{none(f.ownerName)}</Descriptions.Item>
        </Descriptions>
        <Descriptions title={t('customerFiles.sections.classification')} bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={label('category')}>{t(`customerFiles.categories.${f.category}`)}</Descriptions.Item>
          <Descriptions.Item label={label('tier')}>{t(`customerFiles.tiers.${f.tier}`)}</Descriptions.Item>
          <Descriptions.Item label={label('vip')}>{f.vip ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={label('memberLevel')}>{none(f.memberLevel)}</Descriptions.Item>
          <Descriptions.Item label={label('tags')}>{f.tags.length ? f.tags.map((x) => <Tag key={x}>{x}</Tag>) : t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={label('declassifyOn')}>{none(f.declassifyOn)}</Descriptions.Item>
        </Descriptions>
        <Descriptions title={t('customerFiles.sections.contact')} bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={label('phone')}>
            <span data-testid="customer-detail-phone">{none(f.phone)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={label('email')}>{none(f.email)}</Descriptions.Item>
          <Descriptions.Item label={label('address')}>{show('contact', f.address)}</Descriptions.Item>
        </Descriptions>
        <Descriptions title={t('customerFiles.sections.identifiers')} bordered size="small" column={1} style={{ marginBottom: 16 }}>
          {f.identifiers.length === 0 ? (
            <Descriptions.Item label={t('customerFiles.sections.identifiers')}>{t('common.none')}</Descriptions.Item>
          ) : (
            f.identifiers.map((i, k) => (
              <Descriptions.Item key={`${i.kind}-${k}`} label={t(`customerFiles.identifierKinds.${i.kind}`)}>
                <span data-testid={`customer-identifier-${i.kind}`}>{i.value}</span>
              </Descriptions.Item>
            ))
          )}
        </Descriptions>
        <Descriptions title={t('customerFiles.sections.finance')} bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={label('creditClass')}>{show('finance', f.creditClass)}</Descriptions.Item>
          <Descriptions.Item label={label('creditDate')}>{show('finance', f.creditDate)}</Descriptions.Item>
          <Descriptions.Item label={label('creditBasis')}>{show('finance', f.creditBasis)}</Descriptions.Item>
        </Descriptions>
        <Descriptions title={t('customerFiles.sections.notes')} bordered size="small" column={1}>
          <Descriptions.Item label={label('needs')}>{show('notes', f.needs)}</Descriptions.Item>
          <Descriptions.Item label={label('preferences')}>{show('notes', f.preferences)}</Descriptions.Item>
          <Descriptions.Item label={label('notes')}>
            <span data-testid="customer-detail-notes">{show('notes', f.notes)}</span>
          </Descriptions.Item>
        </Descriptions>
        <CustomerCustomFields file={f} />
        <CustomerRelations file={f} readingId={readingId} />
        <CustomerSurveys customerId={f.id} />
      </Page>
      <FormModal opening={asking} title={() => t('customerFiles.openTitle')} formId="customer-open-form" submitTestId="customer-open-submit" okText={t('customerFiles.open')} onClose={() => setAsking(null)}>
        {(_, setBusy) => (
          <OpenForm
            id={f.id}
            setBusy={setBusy}
            onDone={(file, reading) => {
              setAsking(null);
              setOpened(file);
              setReadingId(reading);
            }}
          />
        )}
      </FormModal>
      <FormModal opening={requesting} title={() => t('customerAccess.request')} formId="access-request-form" submitTestId="access-submit" okText={t('customerAccess.submit')} onClose={() => setRequesting(null)}>
        {(_, setBusy) => (
          <AccessRequestForm
            customerId={f.id}
            setBusy={setBusy}
            onDone={() => {
              setRequesting(null);
              notify.ok(t('customerAccess.submitted'));
            }}
          />
        )}
      </FormModal>
      <FormDrawer opening={editing} title={() => t('customerFiles.editTitle')} formId="customer-form" submitTestId="customer-submit" size={640} onClose={() => setEditing(null)}>
        {(_, setBusy) => (
          <CustomerForm
            file={f}
            setBusy={setBusy}
            onConflict={() => {
              setEditing(null);
              void reload();
            }}
            onDone={() => {
              setEditing(null);
              notify.ok(t('common.saved'));
              void reload();
            }}
          />
        )}
      </FormDrawer>
    </div>
  );
}

function OpenForm({ id, setBusy, onDone }: { id: string; setBusy: (b: boolean) => void; onDone: (f: CustomerFile, readingId: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['reason'],
    async (v) => {
      const res = await customersApi.open(id, v.reason.trim());
      onDone(res.file, res.readingId);
    },
    { setBusy },
  );
  return (
    <Form form={form} id="customer-open-form" layout="vertical" onFinish={onFinish} noValidate>
      <Typography.Paragraph type="secondary">{t('customerFiles.openExplain')}</Typography.Paragraph>
      <Form.Item name="reason" label={t('customerFiles.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('customerFiles.reasonRequired') }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} data-testid="customer-open-reason" />
      </Form.Item>
      {alert}
    </Form>
  );
}
