import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Select, Space, Tag, TreeSelect, Typography, Upload } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EffectiveCalendar } from '../../../contracts/calendar.ts';
import { calendarApi, orgApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';

type Values = { timeZone: string; week: string[]; makeUpDayHours?: string; holidaySet: 'china_official' | 'none'; extraHolidays: string[]; extraWorkdays: string[] };
const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Singapore', 'Asia/Urumqi', 'UTC'];
const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;
const split = (s: string | undefined) => (s ?? '').split(/[,，;；\s]+/).map((x) => x.trim()).filter(Boolean);

/** 工作日历: a unit's working hours, holidays and make-up working days (调休), inherited down the tree. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const units = useLoaded(orgApi.list, []);
  const [chosen, setChosen] = useState<string | undefined>();
  const unitId = chosen ?? units.data.find((u) => u.kind === 'company')?.id ?? units.data[0]?.id;
  const load = useCallback(() => calendarApi.get(unitId!), [unitId]);
  const cal = useLoaded(load, null as EffectiveCalendar | null, !!unitId);
  const tree = useMemo(() => {
    type Node = { value: string; title: string; children: Node[] };
    const children = (parent: string | null): Node[] =>
      units.data.filter((u) => u.parentId === parent).map((u) => ({ value: u.id, title: u.name, children: children(u.id) }));
    return children(null);
  }, [units.data]);
  const inheritedName = cal.data?.inheritedFrom ? units.data.find((u) => u.id === cal.data!.inheritedFrom)?.name : null;

  return (
    <Page title={t('calendar.title')} testId="calendar-page">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <TreeSelect style={{ width: 320 }} treeDefaultExpandAll value={unitId} onChange={setChosen} treeData={tree} aria-label={t('calendar.unit')} data-testid="calendar-unit" />
        <Typography.Text type="secondary">{t('calendar.intro')}</Typography.Text>
        {cal.data && (
          <>
            <Space wrap data-testid="calendar-source">
              {cal.data.calendar.orgUnitId === unitId ? (
                <Tag color="blue">{t('calendar.own')}</Tag>
              ) : inheritedName ? (
                <Tag>{t('calendar.inherited', { name: inheritedName })}</Tag>
              ) : (
                <Tag>{t('calendar.default')}</Tag>
              )}
              <Typography.Text type="secondary">{t('calendar.years', { years: cal.data.yearsWithData.join('、') })}</Typography.Text>
            </Space>
            {cal.data.warnings.map((w) => (
              <Alert key={`${w.code}${w.year ?? ''}`} type="warning" showIcon title={w.message} data-testid="calendar-warning" />
            ))}
            <CalendarForm key={`${unitId}-${cal.data.calendar.version ?? 'inherited'}-${cal.data.calendar.orgUnitId ?? ''}`} unitId={unitId!} cal={cal.data} canEdit={can('sla:manage')} onSaved={() => void cal.reload()} />
          </>
        )}
      </Space>
    </Page>
  );
}

function CalendarForm({ unitId, cal, canEdit, onSaved }: { unitId: string; cal: EffectiveCalendar; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const own = cal.calendar.orgUnitId === unitId;
  const { onFinish, alert } = useFormSubmit(
    form,
    ['timeZone', 'week', 'makeUpDayHours', 'holidaySet', 'extraHolidays', 'extraWorkdays'],
    async (v) => {
      await calendarApi.put(unitId, {
        timeZone: v.timeZone,
        week: DAYS.map((d) => split(v.week[d])),
        makeUpDayHours: v.makeUpDayHours?.trim() ? split(v.makeUpDayHours) : null,
        holidaySet: v.holidaySet,
        extraHolidays: v.extraHolidays,
        extraWorkdays: v.extraWorkdays,
        ...(own && cal.calendar.version ? { version: cal.calendar.version } : {}),
      });
      notify.ok(t('common.saved'));
      onSaved();
    },
    { setBusy, onConflict: onSaved },
  );
  const c = cal.calendar;
  const initial: Values = {
    timeZone: c.timeZone,
    week: c.week.map((d) => d.join(', ')),
    makeUpDayHours: c.makeUpDayHours?.join(', ') ?? '',
    holidaySet: c.holidaySet,
    extraHolidays: c.extraHolidays,
    extraWorkdays: c.extraWorkdays,
  };
  const dates = { mode: 'tags' as const, open: false, suffixIcon: null, tokenSeparators: [',', '，', ' '], placeholder: 'YYYY-MM-DD' };
  const importIcs = async (file: File) => {
    if (await notify.run(calendarApi.importIcs(unitId, await file.text(), own ? (c.version ?? undefined) : undefined), t('calendar.imported'))) onSaved();
    return false;
  };
  return (
    <Card size="small">
      <Form form={form} layout="vertical" onFinish={onFinish} noValidate initialValues={initial} disabled={!canEdit} data-testid="calendar-form">
        <Form.Item name="timeZone" label={t('calendar.timeZone')}>
          <Select showSearch style={{ width: 240 }} options={ZONES.map((z) => ({ value: z, label: z }))} data-testid="calendar-zone" />
        </Form.Item>
        <Typography.Text type="secondary">{t('calendar.hoursHelp')}</Typography.Text>
        {DAYS.map((d) => (
          <Form.Item key={d} name={['week', d]} label={t(`calendar.days.${d}`)} style={{ marginBottom: 8 }}>
            <Input placeholder={t('calendar.rest')} style={{ maxWidth: 360 }} data-testid={`calendar-day-${d}`} />
          </Form.Item>
        ))}
        <Form.Item name="makeUpDayHours" label={t('calendar.makeUpHours')} extra={t('calendar.makeUpHelp')}>
          <Input style={{ maxWidth: 360 }} data-testid="calendar-makeup" />
        </Form.Item>
        <Form.Item name="holidaySet" label={t('calendar.holidaySet')}>
          <Select style={{ width: 280 }} options={(['china_official', 'none'] as const).map((x) => ({ value: x, label: t(`calendar.sets.${x}`) }))} data-testid="calendar-set" />
        </Form.Item>
        <Form.Item name="extraHolidays" label={t('calendar.extraHolidays')}>
          <Select {...dates} data-testid="calendar-holidays" />
        </Form.Item>
        <Form.Item name="extraWorkdays" label={t('calendar.extraWorkdays')}>
          <Select {...dates} data-testid="calendar-workdays" />
        </Form.Item>
        {alert}
        <Space wrap>
          {canEdit && (
            <Button type="primary" htmlType="submit" loading={busy} data-testid="calendar-save">
              {own ? t('common.save') : t('calendar.createOwn')}
            </Button>
          )}
          {canEdit && own && (
            <Button danger onClick={async () => (await notify.run(calendarApi.remove(unitId), t('calendar.removed'))) && onSaved()} data-testid="calendar-remove">
              {t('calendar.removeOwn')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={calendarApi.exportUrl(unitId)} disabled={false} data-testid="calendar-export">
            {t('calendar.export')}
          </Button>
          {canEdit && (
            <Upload accept=".ics,text/calendar" showUploadList={false} beforeUpload={(f) => importIcs(f)}>
              <Button icon={<UploadOutlined />} data-testid="calendar-import">
                {t('calendar.import')}
              </Button>
            </Upload>
          )}
        </Space>
      </Form>
    </Card>
  );
}
