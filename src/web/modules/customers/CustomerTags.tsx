import { LockOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConfidentialityLevel } from '../../../contracts/customers.ts';

const colors: Record<ConfidentialityLevel, string | undefined> = { ordinary: undefined, secret: 'gold', confidential: 'orange', top_secret: 'red' };

/** The confidentiality level 密级 as a tag; a declassified file says so. */
export function LevelTag({ level, declassified = false }: { level: ConfidentialityLevel; declassified?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={declassified ? undefined : colors[level]} icon={level !== 'ordinary' && !declassified ? <LockOutlined /> : undefined} data-testid="customer-level">
      {t(`customerFiles.levels.${level}`)}
      {declassified ? ` · ${t('customerFiles.declassified')}` : ''}
    </Tag>
  );
}
