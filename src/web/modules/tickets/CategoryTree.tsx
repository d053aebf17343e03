import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Popconfirm, Row, Space, Switch, Tag, Tree, TreeSelect, Typography, type TreeDataNode, type TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api.ts';
import { ticketSettingsApi, ticketsApi, type TicketCategory } from '../../endpoints.ts';
import { useNotify } from '../../ui/errors.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';

const MAX_DEPTH = 3;
const TOP = '__top__';
type ParentOption = { value: string; title: string; children: ParentOption[]; disabled?: boolean };

/**
 * 工单分类: the group's one category tree (at most three levels). Drag to move or reorder; the panel
 * beside it renames, disables (a disabled category is not offered at intake, old orders keep it),
 * adds a sub-category, moves by keyboard, and deletes one nobody uses.
 */
export function CategoryTree() {
  const { t } = useTranslation();
  const notify = useNotify();
  const categories = useLoaded(ticketsApi.categories, [] as TicketCategory[]);
  const [selected, setSelected] = useState<string | null>(null);
  const all = categories.data;
  const reload = () => void categories.reload();

  const childrenOf = (parentId: string | null) => all.filter((c) => c.parentId === parentId).sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name));
  const depthOf = (id: string | null): number => {
    let n = 0;
    for (let cur = id; cur; cur = all.find((c) => c.id === cur)?.parentId ?? null) n++;
    return n;
  };
  const tree = useMemo(() => {
    const build = (parentId: string | null): TreeDataNode[] =>
      all
        .filter((c) => c.parentId === parentId)
        .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
        .map((c) => ({
          key: c.id,
          title: (
            <span data-testid={`category-node-${c.name}`}>
              {c.name}
              {!c.enabled && <Tag style={{ marginInlineStart: 6 }}>{t('ticketSettings.categories.disabled')}</Tag>}
            </span>
          ),
          children: build(c.id),
        }));
    return build(null);
  }, [all, t]);
  const current = all.find((c) => c.id === selected) ?? null;

  const move = async (c: TicketCategory, parentId: string | null, index?: number) => {
    if (await notify.run(ticketSettingsApi.moveCategory(c.id, { version: c.version, parentId, index }), t('ticketSettings.categories.moved'), reload)) reload();
  };

  const onDrop: TreeProps['onDrop'] = (info) => {
    const dragged = all.find((c) => c.id === info.dragNode.key);
    const target = all.find((c) => c.id === info.node.key);
    if (!dragged || !target) return;
    if (!info.dropToGap) return void move(dragged, target.id, 0);
    const relative = info.dropPosition - Number(String(info.node.pos).split('-').at(-1));
    const siblings = childrenOf(target.parentId).filter((c) => c.id !== dragged.id);
    const at = siblings.findIndex((c) => c.id === target.id);
    void move(dragged, target.parentId, relative < 0 ? at : at + 1);
  };

  const parentOptions = useMemo(() => {
    const build = (parentId: string | null, depth: number): ParentOption[] =>
      depth >= MAX_DEPTH ? [] : childrenOf(parentId).map((c) => ({ value: c.id, title: c.name, children: build(c.id, depth + 1), disabled: c.id === selected }));
    return [{ value: TOP, title: t('ticketSettings.categories.topLevel'), children: [] as ParentOption[] }, ...build(null, 1)];
  }, [all, selected, t]);

  return (
    <Row gutter={24}>
      <Col xs={24} md={12}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('ticketSettings.categories.intro')}</Typography.Text>
          <AddCategory parentId={null} label={t('ticketSettings.categories.addTop')} onDone={reload} testId="category-add-top" />
          {categories.error ? <Alert type="error" showIcon title={errorText(categories.error)} /> : null}
          <Tree
            treeData={tree}
            defaultExpandAll
            draggable={{ icon: false }}
            blockNode
            selectedKeys={selected ? [selected] : []}
            onSelect={(keys) => setSelected((keys[0] as string | undefined) ?? null)}
            onDrop={onDrop}
            data-testid="category-tree"
          />
        </Space>
      </Col>
      <Col xs={24} md={12}>
        {current ? (
          <Card size="small" title={current.name} data-testid="category-panel" key={`${current.id}-${current.version}`}>
            <Space direction="vertical" style={{ width: '100%' }} size={16}>
              <Rename category={current} onDone={reload} />
              <Space>
                <Typography.Text>{t('ticketSettings.categories.enabled')}</Typography.Text>
                <Switch
                  checked={current.enabled}
                  aria-label={t('ticketSettings.categories.enabled')}
                  onChange={async (enabled) => {
                    if (await notify.run(ticketSettingsApi.updateCategory(current.id, { version: current.version, enabled }), t('common.saved'), reload)) reload();
                  }}
                  data-testid="category-enabled"
                />
              </Space>
              {depthOf(current.id) < MAX_DEPTH && <AddCategory parentId={current.id} label={t('ticketSettings.categories.addChild')} onDone={reload} testId="category-add-child" />}
              <Space wrap>
                <TreeSelect
                  style={{ width: 220 }}
                  treeData={parentOptions}
                  treeDefaultExpandAll
                  value={current.parentId ?? TOP}
                  aria-label={t('ticketSettings.categories.parent')}
                  onChange={(v: string) => void move(current, v === TOP ? null : v)}
                  data-testid="category-parent"
                />
                <Button
                  icon={<ArrowUpOutlined />}
                  aria-label={t('ticketSettings.moveUp')}
                  onClick={() => {
                    const at = childrenOf(current.parentId).findIndex((c) => c.id === current.id);
                    if (at > 0) void move(current, current.parentId, at - 1);
                  }}
                />
                <Button
                  icon={<ArrowDownOutlined />}
                  aria-label={t('ticketSettings.moveDown')}
                  onClick={() => {
                    const sibs = childrenOf(current.parentId);
                    const at = sibs.findIndex((c) => c.id === current.id);
                    if (at < sibs.length - 1) void move(current, current.parentId, at + 1);
                  }}
                />
              </Space>
              <Popconfirm
                title={t('ticketSettings.categories.deleteConfirm', { name: current.name })}
                onConfirm={async () => {
                  if (await notify.run(ticketSettingsApi.removeCategory(current.id), t('common.deleted'))) {
                    setSelected(null);
                    reload();
                  }
                }}
              >
                <Button danger data-testid="category-delete">
                  {t('common.delete')}
                </Button>
              </Popconfirm>
              <Typography.Text type="secondary">{t('ticketSettings.categories.deleteHelp')}</Typography.Text>
            </Space>
          </Card>
        ) : (
          <Typography.Text type="secondary">{t('ticketSettings.categories.pick')}</Typography.Text>
        )}
      </Col>
    </Row>
  );
}

function Rename({ category, onDone }: { category: TicketCategory; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [name, setName] = useState(category.name);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input value={name} maxLength={50} onChange={(e) => setName(e.target.value)} aria-label={t('ticketSettings.categories.name')} data-testid="category-name" />
      <Button
        disabled={!name.trim() || name.trim() === category.name}
        onClick={async () => {
          if (await notify.run(ticketSettingsApi.updateCategory(category.id, { version: category.version, name: name.trim() }), t('common.saved'), onDone)) onDone();
        }}
        data-testid="category-rename"
      >
        {t('ticketSettings.categories.rename')}
      </Button>
    </Space.Compact>
  );
}

function AddCategory({ parentId, label, onDone, testId }: { parentId: string | null; label: string; onDone: () => void; testId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Form
      form={form}
      layout="inline"
      onFinish={async (v) => {
        if (await notify.run(ticketSettingsApi.createCategory(parentId, v.name.trim()), t('common.saved'))) {
          form.resetFields();
          onDone();
        }
      }}
    >
      <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={50} placeholder={t('ticketSettings.categories.name')} aria-label={label} data-testid={`${testId}-name`} />
      </Form.Item>
      <Button htmlType="submit" icon={<PlusOutlined />} data-testid={testId}>
        {label}
      </Button>
    </Form>
  );
}
