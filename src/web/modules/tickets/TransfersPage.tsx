import { ReloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Form, Input, Segmented, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Transfer, TransferStatus } from '../../../contracts/tickets.ts';
import { transfersApi, type TransferFilter } from '../../endpoints.ts';
import { CursorTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';

const statuses: TransferStatus[] = ['open', 'answered'];
const fetchPage = (f: TransferFilter, cursor?: string) => transfersApi.list({ ...f, cursor, limit: 50 });

/** 部门转派: the open hand-offs to my departments, due first (overdue in red), each answered in a modal. */
export function TransfersPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<TransferFilter>({ status: 'open', mine: 'true' });
  const list = useCursorList(fetchPage, filter);
  const [answering, setAnswering] = useState<{ transfer: Transfer } | null>(null);

  const columns: TableColumnsType<Transfer> = [
    {
      title: t('transfers.due'),
      dataIndex: 'dueAt',
      render: (v: string, x) => (
        <Typography.Text type={x.overdue ? 'danger' : undefined} strong={x.overdue}>
          {formatTime(v)}
          {x.overdue && <Tag color="red" style={{ marginInlineStart: 6 }} data-testid="transfer-overdue">{t('tickets.overdue')}</Tag>}
        </Typography.Text>
      ),
    },
    {
      title: t('transfers.ticket'),
      key: 'ticket',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <Link to={`/tickets/${x.ticketId}`} data-testid="transfer-ticket">{x.ticketNumber}</Link>
          <Typography.Text ellipsis={{ tooltip: x.ticketSubject }} style={{ maxWidth: 260 }} data-testid="transfer-subject">
            {x.ticketSubject}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('transfers.department'), dataIndex: 'toDepartmentName' },
    { title: t('transfers.reason'), dataIndex: 'reason', render: (v: string) => <span data-testid="transfer-reason">{v}</span> },
    { title: t('transfers.from'), key: 'from', render: (_, x) => x.createdByName ?? x.fromUnitName },
    ...(filter.status === 'answered'
      ? [{ title: t('transfers.answer'), key: 'answer', render: (_: unknown, x: Transfer) => <span data-testid="transfer-answer-text">{x.answer}</span> }]
      : []),
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, x) =>
        x.status === 'open' && (
          <RowAction type="primary" onClick={() => setAnswering({ transfer: x })} testId="transfer-answer">
            {t('transfers.reply')}
          </RowAction>
        ),
    },
  ];

  return (
    <Page
      title={t('transfers.title')}
      testId="transfers-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={list.reload} data-testid="transfers-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<TransferStatus>
          value={filter.status ?? 'open'}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
          options={statuses.map((s) => ({ value: s, label: t(`transfers.statuses.${s}`) }))}
          data-testid="transfer-status-filter"
        />
      </Flex>
      <CursorTable<Transfer>
        list={list}
        loadMoreTestId="transfer-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('transfers.empty') }}
        rowTestId={(x) => `transfer-row-${x.ticketNumber}`}
      />
      <FormModal
        opening={answering}
        title={(o) => t('transfers.answerTitle', { number: o.transfer.ticketNumber })}
        formId="transfer-answer-form"
        submitTestId="transfer-answer-submit"
        okText={t('transfers.reply')}
        width={560}
        onClose={() => setAnswering(null)}
      >
        {(o, setBusy) => (
          <AnswerForm
            transfer={o.transfer}
            setBusy={setBusy}
            onDone={() => {
              setAnswering(null);
              list.reload();
            }}
          />
        )}
      </FormModal>
    </Page>
  );
}

function AnswerForm({ transfer: x, setBusy, onDone }: { transfer: Transfer; setBusy: (busy: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ answer: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['answer'],
    async (v) => {
      await transfersApi.answer(x.id, v.answer.trim());
      notify.ok(t('transfers.answered'));
      onDone();
    },
    { setBusy },
  );
  return (
    <Form form={form} id="transfer-answer-form" layout="vertical" onFinish={onFinish} noValidate>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'subject', label: t('tickets.fields.subject'), children: x.ticketSubject },
          { key: 'reason', label: t('transfers.reason'), children: x.reason },
          { key: 'due', label: t('transfers.due'), children: formatTime(x.dueAt) },
        ]}
      />
      <Form.Item name="answer" label={t('transfers.answer')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} autoFocus data-testid="transfer-answer-body" />
      </Form.Item>
      {alert}
    </Form>
  );
}
