import { Button, Descriptions, Form, Input, Modal, Space, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessRequest } from '../../../contracts/customer-access.ts';
import type { CustomerFile } from '../../../contracts/customers.ts';
import { CursorTable } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { customersApi } from '../customers/customersApi.ts';
import { accessApi, type AccessBox } from './accessApi.ts';
import { AccessRequestForm } from './AccessRequestForm.tsx';

const fetchPage = (box: AccessBox, cursor?: string) => accessApi.list(box, cursor);
const statusColor: Record<AccessRequest['status'], string> = { pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' };

/** 申请查阅: my requests (open the file while one is in force) and the requests waiting for my approval. */
export function CustomerAccessPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [box, setBox] = useState<AccessBox>('mine');
  const list = useCursorList(fetchPage, box);
  const [creating, setCreating] = useState<object | null>(null);
  const [rejecting, setRejecting] = useState<AccessRequest | null>(null);
  const [opening, setOpening] = useState<AccessRequest | null>(null);
  const [opened, setOpened] = useState<CustomerFile | null>(null);
  const act = (p: Promise<unknown>, ok: string) => void notify.run(p, ok, list.reload).then((done) => done && list.reload());

  const status = (r: AccessRequest) => (
    <Tag color={r.status === 'approved' && !r.inForce ? 'default' : statusColor[r.status]} data-testid={`access-status-${r.id}`}>
      {r.status === 'approved' && !r.inForce ? t('customerAccess.expired') : t(`customerAccess.statuses.${r.status}`)}
    </Tag>
  );
  const fileName = (r: AccessRequest) => r.customerName ?? <Typography.Text type="secondary">{t('customerAccess.hiddenName')}</Typography.Text>;
  const columns: TableColumnsType<AccessRequest> = [
    { title: t('customerAccess.fields.file'), key: 'file', render: (_, r) => fileName(r) },
    { title: t('customerAccess.fields.fileUnit'), dataIndex: 'customerUnitName' },
    ...(box === 'to_approve'
      ? [
          { title: t('customerAccess.fields.requester'), key: 'requester', render: (_: unknown, r: AccessRequest) => `${r.requesterName} · ${r.requesterUnitName}` },
        ]
      : []),
    { title: t('customerAccess.fields.sections'), key: 'sections', render: (_, r) => r.sections.map((s) => <Tag key={s}>{t(`customerFiles.sections.${s}`)}</Tag>) },
    { title: t('customerAccess.fields.reason'), dataIndex: 'reason' },
    { title: t('customerAccess.fields.days'), dataIndex: 'days' },
    { title: t('customerAccess.fields.status'), key: 'status', render: (_, r) => status(r) },
    {
      title: t('customerAccess.fields.approvals'),
      key: 'approvals',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{t('customerAccess.stepLine', { step: t('customerAccess.managerStep'), name: r.managerName ?? t('customerAccess.waiting') })}</span>
          <span>{t('customerAccess.stepLine', { step: t('customerAccess.serviceStep'), name: r.serviceName ?? t('customerAccess.waiting') })}</span>
          {r.rejectedByName && <span>{t('customerAccess.rejectedBy', { name: r.rejectedByName, note: r.decisionNote ?? '' })}</span>}
        </Space>
      ),
    },
    { title: t('customerAccess.fields.expiresAt'), key: 'expiresAt', render: (_, r) => (r.expiresAt ? formatTime(r.expiresAt) : t('common.none')) },
    {
      title: t('customerAccess.fields.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space wrap>
          {box === 'mine' && r.inForce && (
            <Button size="small" type="primary" onClick={() => setOpening(r)} data-testid={`access-open-${r.id}`}>
              {t('customerFiles.open')}
            </Button>
          )}
          {box === 'mine' && r.status === 'pending' && (
            <Button size="small" onClick={() => act(accessApi.withdraw(r.id, r.version), t('customerAccess.withdrawn'))} data-testid={`access-withdraw-${r.id}`}>
              {t('customerAccess.withdraw')}
            </Button>
          )}
          {box === 'to_approve' && r.canApprove && (
            <Button size="small" type="primary" onClick={() => act(accessApi.approve(r.id, r.version), t('customerAccess.approved'))} data-testid={`access-approve-${r.id}`}>
              {t('customerAccess.approveAs', { step: t(r.canApprove === 'manager' ? 'customerAccess.managerStep' : 'customerAccess.serviceStep') })}
            </Button>
          )}
          {box === 'to_approve' && r.status === 'pending' && (
            <Button size="small" danger onClick={() => setRejecting(r)} data-testid={`access-reject-${r.id}`}>
              {t('customerAccess.reject')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('customerAccess.title')}
      testId="customer-access-page"
      extra={
        <CreateButton testId="access-new" onClick={() => setCreating({})}>
          {t('customerAccess.request')}
        </CreateButton>
      }
    >
      <Tabs
        activeKey={box}
        onChange={(k) => setBox(k as AccessBox)}
        items={[
          { key: 'mine', label: <span data-testid="access-tab-mine">{t('customerAccess.mine')}</span> },
          { key: 'to_approve', label: <span data-testid="access-tab-approve">{t('customerAccess.toApprove')}</span> },
        ]}
      />
      <CursorTable<AccessRequest>
        list={list}
        loadMoreTestId="access-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t(box === 'mine' ? 'customerAccess.emptyMine' : 'customerAccess.emptyToApprove') }}
        rowTestId={(r) => `access-row-${r.id}`}
      />
      <FormModal opening={creating} title={() => t('customerAccess.request')} formId="access-request-form" submitTestId="access-submit" okText={t('customerAccess.submit')} onClose={() => setCreating(null)}>
        {(_, setBusy) => (
          <AccessRequestForm
            setBusy={setBusy}
            onDone={() => {
              setCreating(null);
              notify.ok(t('customerAccess.submitted'));
              if (box === 'mine') list.reload();
              else setBox('mine');
            }}
          />
        )}
      </FormModal>
      <FormModal opening={rejecting} title={() => t('customerAccess.reject')} formId="access-reject-form" submitTestId="access-reject-submit" okText={t('customerAccess.reject')} onClose={() => setRejecting(null)}>
        {(r, setBusy) => (
          <NoteForm
            formId="access-reject-form"
            setBusy={setBusy}
            send={(note) => accessApi.reject(r.id, r.version, note)}
            onDone={() => {
              setRejecting(null);
              notify.ok(t('customerAccess.rejected'));
              list.reload();
            }}
          />
        )}
      </FormModal>
      <FormModal opening={opening} title={() => t('customerFiles.openTitle')} formId="access-open-form" submitTestId="access-open-submit" okText={t('customerFiles.open')} onClose={() => setOpening(null)}>
        {(r, setBusy) => (
          <NoteForm
            formId="access-open-form"
            label={t('customerFiles.reason')}
            explain={t('customerFiles.openExplain')}
            setBusy={setBusy}
            send={async (reason) => setOpened((await customersApi.open(r.customerId, reason)).file)}
            onDone={() => setOpening(null)}
          />
        )}
      </FormModal>
      <Modal open={opened !== null} onCancel={() => setOpened(null)} footer={null} width={720} title={opened?.name} destroyOnHidden>
        {opened && <OpenedFile f={opened} />}
      </Modal>
    </Page>
  );
}

/** A reason or note (2–500 characters) and one request. */
function NoteForm({ formId, label, explain, setBusy, send, onDone }: { formId: string; label?: string; explain?: string; setBusy: (b: boolean) => void; send: (note: string) => Promise<unknown>; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['note', 'reason'],
    async (v) => {
      await send(v.note.trim());
      onDone();
    },
    { setBusy },
  );
  return (
    <Form form={form} id={formId} layout="vertical" onFinish={onFinish} noValidate>
      {explain && <Typography.Paragraph type="secondary">{explain}</Typography.Paragraph>}
      <Form.Item name="note" label={label ?? t('customerAccess.fields.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('customerFiles.reasonRequired') }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} data-testid={`${formId}-note`} />
      </Form.Item>
      {alert}
    </Form>
  );
}

/** The file as opened under the request: the granted sections shown, the others still masked or hidden. */
function OpenedFile({ f }: { f: CustomerFile }) {
  const { t } = useTranslation();
  const restricted = new Set(f.access.restrictedSections);
  const show = (s: 'contact' | 'finance' | 'notes', v: string | null) => (restricted.has(s) ? t('customerFiles.hidden') : (v ?? t('common.none')));
  const label = (k: string) => t(`customerFiles.fields.${k}`);
  return (
    <div data-testid="access-opened">
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={label('unit')}>{f.orgUnitName}</Descriptions.Item>
        <Descriptions.Item label={label('phone')}>
          <span data-testid="access-opened-phone">{f.phone ?? t('common.none')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={label('email')}>{f.email ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={label('address')}>{show('contact', f.address)}</Descriptions.Item>
        {f.identifiers.map((i, k) => (
          <Descriptions.Item key={`${i.kind}-${k}`} label={t(`customerFiles.identifierKinds.${i.kind}`)}>
            {i.value}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={label('creditClass')}>{show('finance', f.creditClass)}</Descriptions.Item>
        <Descriptions.Item label={label('notes')}>{show('notes', f.notes)}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('customerFiles.openedNotice')}
      </Typography.Paragraph>
    </div>
  );
}
