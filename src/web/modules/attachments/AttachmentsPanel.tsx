import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Popconfirm, Typography, Upload, type UploadProps } from 'antd';
import { useCallback, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../contracts/attachments.ts';
import { ApiError, errorText } from '../../api.ts';
import { attachmentsApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { confirmButtons, tid, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${Number((bytes / 1048576).toFixed(1))} MB`;
}

/** Why the server refused a file, with the limit when it named one (e.g. "附件过大 附件不能超过 20 MB"). */
const reason = (err: unknown) => (err instanceof ApiError && err.fieldErrors.length ? `${err.title}（${err.fieldErrors.map((e) => e.message).join('；')}）` : errorText(err));

/**
 * The files of a work order (附件): upload (raw bytes, the type is decided by the server from the
 * content), the list with thumbnails for images, download, delete. Names are rendered as text.
 */
export function AttachmentsPanel({ ticketId, onChanged, style }: { ticketId: string; onChanged?: () => void; style?: CSSProperties }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const notify = useNotify();
  const load = useCallback(() => attachmentsApi.list(ticketId), [ticketId]);
  const { data, error, reload } = useLoaded<Attachment[]>(load, []);
  const [refused, setRefused] = useState<string | null>(null);
  const canUpload = can('ticket:update');

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const f = file as File;
    setRefused(null);
    attachmentsApi.upload(ticketId, f).then(
      (a) => {
        onSuccess?.(a);
        notify.ok(t('attachments.uploaded', { name: a.name }));
        void reload();
        onChanged?.();
      },
      (err: unknown) => {
        onError?.(err as Error);
        setRefused(t('attachments.refused', { name: f.name, reason: reason(err) }));
      },
    );
  };

  const remove = async (a: Attachment) => {
    if (await notify.run(attachmentsApi.remove(a.id), t('attachments.removed'))) {
      void reload();
      onChanged?.();
    }
  };
  const mayRemove = (a: Attachment) => (a.uploadedById === me?.user.id && canUpload) || can('ticket:assign');

  return (
    <Card
      title={t('attachments.title')}
      style={style}
      data-testid="attachments-panel"
      extra={
        canUpload && (
          <Upload customRequest={customRequest} showUploadList={false} multiple data-testid="attachments-upload">
            <Button icon={<UploadOutlined />} {...tid('attachments-upload-button')}>
              {t('attachments.upload')}
            </Button>
          </Upload>
        )
      }
    >
      {canUpload && <Typography.Paragraph type="secondary">{t('attachments.hint')}</Typography.Paragraph>}
      {refused && <Alert type="error" showIcon closable title={refused} onClose={() => setRefused(null)} style={{ marginBottom: 12 }} {...tid('attachment-refused')} />}
      {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
      {data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachments.empty')} />
      ) : (
        <Flex vertical gap={8}>
          {data.map((a) => (
            <Flex key={a.id} align="center" gap={12} data-testid="attachment-item">
              {a.image ? (
                <img src={attachmentsApi.contentUrl(a.id, true)} alt={t('attachments.preview', { name: a.name })} width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} loading="lazy" />
              ) : (
                <PaperClipOutlined style={{ fontSize: 24, width: 48 }} />
              )}
              <Flex vertical style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text ellipsis={{ tooltip: a.name }} data-testid="attachment-name">
                  {a.name}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatSize(a.size)} · {t('attachments.uploadedBy', { name: a.uploadedByName, time: formatTime(a.createdAt) })}
                </Typography.Text>
              </Flex>
              <Button type="link" icon={<DownloadOutlined />} href={attachmentsApi.contentUrl(a.id)} download={a.name} aria-label={t('attachments.download')} title={t('attachments.download')} />
              {mayRemove(a) && (
                <Popconfirm title={t('attachments.removeConfirm', { name: a.name })} onConfirm={() => remove(a)} {...confirmButtons(true)}>
                  <Button type="link" danger icon={<DeleteOutlined />} aria-label={t('attachments.remove')} title={t('attachments.remove')} {...tid('attachment-remove')} />
                </Popconfirm>
              )}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}
