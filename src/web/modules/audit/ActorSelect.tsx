import { Select } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../endpoints.ts';

interface Option {
  value: string;
  label: string;
}

/** Picks a person by typing part of a name or username (searched on the server). */
export function ActorSelect({ value, onChange }: { value?: string; onChange: (id: string | undefined) => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const search = async (q: string) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const page = await usersApi.list({ q: q.trim() || undefined, limit: 20 });
      if (mine === seq.current) setOptions(page.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })));
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  return (
    <Select<string>
      allowClear
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      placeholder={t('audit.actorPlaceholder')}
      aria-label={t('audit.actor')}
      style={{ width: 220 }}
      value={value}
      options={options}
      loading={loading}
      onOpenChange={(open) => {
        if (open && options.length === 0) void search('');
      }}
      onChange={(id) => onChange(id ?? undefined)}
      data-testid="audit-actor-filter"
    />
  );
}
