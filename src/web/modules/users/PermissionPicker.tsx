import { GlobalOutlined } from '@ant-design/icons';
import { Checkbox, Col, Row, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { permissionCatalog, type Permission } from '../../../contracts/permissions.ts';
import { currentLanguage, pick } from '../../i18n/index.ts';

type Module = (typeof permissionCatalog)[Permission]['module'];

/** The catalog grouped by module, in catalog order. */
export const permissionModules: { module: Module; permissions: Permission[] }[] = (() => {
  const out: { module: Module; permissions: Permission[] }[] = [];
  for (const key of Object.keys(permissionCatalog) as Permission[]) {
    const module = permissionCatalog[key].module;
    const group = out.find((g) => g.module === module) ?? out[out.push({ module, permissions: [] }) - 1];
    group.permissions.push(key);
  }
  return out;
})();

export function permissionLabel(key: string): string {
  const p = (permissionCatalog as Record<string, { zh: string; en: string } | undefined>)[key];
  return p ? pick(p.zh, p.en) : key;
}

/** A form control: the role's permissions as checkboxes grouped by module, each module with "all". */
export function PermissionPicker({ value = [], onChange, disabled }: { value?: string[]; onChange?: (v: string[]) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const set = new Set(value);
  const update = (keys: string[], on: boolean) => {
    const next = new Set(set);
    for (const k of keys) if (on) next.add(k);
    else next.delete(k);
    onChange?.(Object.keys(permissionCatalog).filter((k) => next.has(k)));
  };
  return (
    <div data-testid="permission-picker">
      {permissionModules.map(({ module, permissions }) => {
        const held = permissions.filter((p) => set.has(p)).length;
        return (
          <section key={module} style={{ marginBottom: 16 }} data-testid={`perm-module-${module}`}>
            <div style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 4, marginBottom: 8 }}>
              <Checkbox
                checked={held === permissions.length}
                indeterminate={held > 0 && held < permissions.length}
                disabled={disabled}
                onChange={(e) => update(permissions, e.target.checked)}
              >
                <Typography.Text strong>{t(`modules.${module}`)}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {held}/{permissions.length}
                </Typography.Text>
              </Checkbox>
            </div>
            <Row gutter={[8, 4]}>
              {permissions.map((p) => (
                <Col key={p} xs={24} sm={12}>
                  <Checkbox checked={set.has(p)} disabled={disabled} onChange={(e) => update([p], e.target.checked)}>
                    <span data-testid={`perm-${p}`}>{pick(permissionCatalog[p].zh, permissionCatalog[p].en, lang)}</span>
                    <Typography.Text type="secondary" code style={{ marginLeft: 6, fontSize: 12 }}>
                      {p}
                    </Typography.Text>
                    {permissionCatalog[p].global && (
                      <Tooltip title={t('roles.globalHint')}>
                        <GlobalOutlined aria-label={t('roles.globalHint')} style={{ marginLeft: 6, color: '#722ed1' }} />
                      </Tooltip>
                    )}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </section>
        );
      })}
    </div>
  );
}
