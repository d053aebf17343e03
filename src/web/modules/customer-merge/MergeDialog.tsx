import { Alert, Modal, Radio, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MergeField, MergePreview } from '../../../contracts/customer-merge.ts';
import { errorText } from '../../api.ts';
import { rowTid, tid, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { customerMergeApi, type DuplicateRow } from './customerMergeApi.ts';

type Side = 'survivor' | 'merged';
type FieldRow = MergePreview['fields'][number] & { id: string };

/**
 * 合并客户档案: choose the file that stays, then for each differing field whose value to keep (values come
 * masked as the caller sees them). Identifiers and tags are united by the server, the level is the stricter.
 */
export function MergeDialog({ pair, onClose, onMerged }: { pair: DuplicateRow; onClose: () => void; onMerged: (survivorId: string) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [keep, setKeep] = useState<'a' | 'b'>('a');
  const survivor = keep === 'a' ? pair.a : pair.b;
  const other = keep === 'a' ? pair.b : pair.a;
  const load = useCallback(() => customerMergeApi.preview(survivor.id, other.id), [survivor.id, other.id]);
  const { data, loading, error } = useLoaded<MergePreview | null>(load, null);
  const [choice, setChoice] = useState<Partial<Record<MergeField, Side>>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => setChoice({}), [keep]);

  const value = (v: string | boolean | null) => {
    if (v === null || v === '') return <Typography.Text type="secondary">{t('customerMerge.emptyValue')}</Typography.Text>;
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    return v;
  };
  const enumLabel = (field: MergeField, v: string | boolean | null) => {
    const group = { tier: 'tiers', kind: 'kinds', gender: 'genders', category: 'categories' }[field as string];
    return group && typeof v === 'string' ? t(`customerFiles.${group}.${v}`) : value(v);
  };

  const submit = async () => {
    if (!data) return;
    setBusy(true);
    const take = data.fields.filter((f) => choice[f.field] === 'merged').map((f) => f.field);
    const ok = await notify.run(customerMergeApi.merge(data.survivor.id, { version: data.survivor.version, mergeId: data.merged.id, mergeVersion: data.merged.version, take }));
    setBusy(false);
    if (ok) onMerged(data.survivor.id);
  };

  const rows: FieldRow[] = (data?.fields ?? []).map((f) => ({ ...f, id: f.field }));
  const describe = (c: DuplicateRow['a']) => [c.name, c.phone, t('customerMerge.createdAt', { time: formatTime(c.createdAt) })].filter(Boolean).join(' · ');

  return (
    <Modal
      open
      width={760}
      title={t('customerMerge.dialogTitle')}
      okText={t('customerMerge.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: !data, ...tid('merge-confirm') }}
      destroyOnHidden
    >
      <div data-testid="merge-dialog">
        <Typography.Paragraph strong>{t('customerMerge.keep')}</Typography.Paragraph>
        <Radio.Group value={keep} onChange={(e) => setKeep(e.target.value as 'a' | 'b')} data-testid="merge-keep">
          <Space direction="vertical">
            <Radio value="a">
              <span data-testid="merge-keep-a">{describe(pair.a)}</span>
            </Radio>
            <Radio value="b">
              <span data-testid="merge-keep-b">{describe(pair.b)}</span>
            </Radio>
          </Space>
        </Radio.Group>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('customerMerge.keepHint')} {t('customerMerge.unitedHint')}
        </Typography.Paragraph>
        {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
        {loading && !data ? <Spin /> : null}
        {data && data.fields.some((f) => f.masked) && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('customerMerge.maskedHint')} />}
        {data && rows.length === 0 && <Alert type="info" showIcon title={t('customerMerge.noDifferences')} />}
        {data && rows.length > 0 && (
          <Table<FieldRow>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={rows}
            onRow={(r) => rowTid(`merge-field-${r.field}`)}
            columns={[
              { title: t('customerMerge.field'), key: 'field', width: 120, render: (_, r) => t(`customerMerge.fields.${r.field}`) },
              {
                title: t('customerMerge.choose'),
                key: 'choice',
                render: (_, r) => (
                  <Radio.Group value={choice[r.field] ?? 'survivor'} onChange={(e) => setChoice((c) => ({ ...c, [r.field]: e.target.value as Side }))}>
                    <Space direction="vertical">
                      <Radio value="survivor">
                        <span data-testid={`merge-field-${r.field}-survivor`}>{enumLabel(r.field, r.survivor)}</span>
                      </Radio>
                      <Radio value="merged">
                        <span data-testid={`merge-field-${r.field}-merged`}>{enumLabel(r.field, r.merged)}</span>
                      </Radio>
                    </Space>
                  </Radio.Group>
                ),
              },
            ]}
          />
        )}
      </div>
    </Modal>
  );
}
