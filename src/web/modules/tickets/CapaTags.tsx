import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Capa } from '../../endpoints.ts';

const colors = { open: 'blue', overdue: 'red', done: 'gold', verified: 'green' } as const;

/** 进行中 / 已超期 / 已完成待验证 / 已验证; an open one sent back as ineffective says so. */
export function CapaStatusTag({ capa }: { capa: Pick<Capa, 'status' | 'overdue' | 'verificationResult'> }) {
  const { t } = useTranslation();
  const shown = capa.overdue ? 'overdue' : capa.status;
  return (
    <span data-testid="capa-status">
      <Tag color={colors[shown]}>{t(`capa.statuses.${shown}`)}</Tag>
      {capa.status === 'open' && capa.verificationResult === 'ineffective' && <Tag color="volcano">{t('capa.ineffective')}</Tag>}
    </span>
  );
}
