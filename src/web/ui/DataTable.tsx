import { Alert, Button, Flex, Popconfirm, Table, Typography, type ButtonProps, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api.ts';
import { confirmButtons, rowTid } from './errors.tsx';
import type { CursorList } from './useCursorList.ts';

type DataTableProps<T> = TableProps<T> & {
  /** Each row's data-testid. */
  rowTestId?: (row: T) => string;
  /** Why the list could not be loaded, shown above the table. */
  error?: unknown;
};

/** The console's list table: rows keyed by id, no paging (lists load whole or by cursor), middle size. */
export function DataTable<T extends { id: string }>({ rowTestId, error, ...props }: DataTableProps<T>) {
  return (
    <>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} /> : null}
      <Table<T> rowKey="id" pagination={false} size="middle" onRow={rowTestId && ((row) => rowTid(rowTestId(row)))} {...props} />
    </>
  );
}

/** A table of a cursor-paged list (useCursorList): below it, how many are shown and "load more" while there are more. */
export function CursorTable<T extends { id: string }>({ list, loadMoreTestId, ...props }: DataTableProps<T> & { list: CursorList<T>; loadMoreTestId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <DataTable<T> dataSource={list.items} loading={list.loading} {...props} />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('common.shownItems', { count: list.items.length })}</Typography.Text>
        {list.hasMore ? (
          <Button onClick={list.loadMore} loading={list.loading} data-testid={loadMoreTestId}>
            {t('common.loadMore')}
          </Button>
        ) : (
          list.items.length > 0 && <Typography.Text type="secondary">{t('common.allLoaded')}</Typography.Text>
        )}
      </Flex>
    </>
  );
}

/** A button in a row's actions column (a small link unless `type` says otherwise); with `confirm`, it asks that first. */
export function RowAction({ testId, onClick, confirm, ...button }: Omit<ButtonProps, 'onClick'> & { testId: string; onClick: () => unknown; confirm?: ReactNode }) {
  if (confirm === undefined) return <Button type="link" size="small" onClick={onClick} data-testid={testId} {...button} />;
  return (
    <Popconfirm title={confirm} onConfirm={onClick} {...confirmButtons()}>
      <Button type="link" size="small" data-testid={testId} {...button} />
    </Popconfirm>
  );
}

/** A list filter above the table: clearable, its label as placeholder and as accessible name. */
export const filterProps = (label: string, width: number) => ({ allowClear: true, placeholder: label, 'aria-label': label, style: { width } });
