import { Alert, Button, Descriptions, Tag } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CustomerMergeEntry } from '../../../contracts/customer-merge.ts';
import type { CustomerFile } from '../../../contracts/customers.ts';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { customerMergeApi } from './customerMergeApi.ts';

/**
 * On a customer file: a merged-away file reads as a redirect to the file it was merged into; any file
 * shows its merge history 合并记录 (who, when, which file, which fields came from the merged file).
 */
export function MergeInfo({ file }: { file: CustomerFile }) {
  const { t } = useTranslation();
  const load = useCallback(() => customerMergeApi.history(file.id), [file.id]);
  const { data } = useLoaded<CustomerMergeEntry[]>(load, []);
  return (
    <>
      {file.mergedIntoId && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="customer-merged-into"
          title={t('customerMerge.mergedInto')}
          action={
            <Link to={`/customers/${file.mergedIntoId}`} data-testid="customer-merged-into-link">
              <Button size="small" type="primary">
                {t('customerMerge.goSurvivor')}
              </Button>
            </Link>
          }
        />
      )}
      {data.length > 0 && (
        <Descriptions title={t('customerMerge.history')} bordered size="small" column={1} style={{ marginBottom: 16 }} data-testid="customer-merge-history">
          {data.map((m) => {
            const taken = Object.entries(m.fields).filter(([, side]) => side === 'merged').map(([f]) => f);
            const survivor = m.survivorId === file.id;
            return (
              <Descriptions.Item key={m.id} label={`${formatTime(m.mergedAt)} · ${m.mergedByName}`}>
                <span data-testid="customer-merge-entry">
                  {survivor ? (
                    <>
                      {t('customerMerge.historyMerged')} <Link to={`/customers/${m.mergedId}`}>{t('customerMerge.historyFile')}</Link>
                      {'; '}
                      {t('customerMerge.historyTaken')}:{' '}
                      {taken.length ? taken.map((f) => <Tag key={f}>{t(`customerMerge.fields.${f}`)}</Tag>) : t('common.none')}
                    </>
                  ) : (
                    <>
                      {t('customerMerge.historyInto')} <Link to={`/customers/${m.survivorId}`}>{t('customerMerge.goSurvivor')}</Link>
                    </>
                  )}
                </span>
              </Descriptions.Item>
            );
          })}
        </Descriptions>
      )}
    </>
  );
}
