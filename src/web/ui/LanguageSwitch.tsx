import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n/index.ts';

/** One button: 中文 ⇄ English. The choice is remembered in localStorage. */
export function LanguageSwitch({ light = false }: { light?: boolean }) {
  const { t } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      aria-label={t('lang.switchToLabel')}
      title={t('lang.switchToLabel')}
      style={light ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      onClick={() => void setLanguage(next)}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
