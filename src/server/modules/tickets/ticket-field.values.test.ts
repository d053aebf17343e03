import { describe, expect, it } from 'vitest';
import { checkFieldConfig, checkFieldValue, isEmptyValue } from './ticket-field.values.ts';

const def = (kind: Parameters<typeof checkFieldValue>[0]['kind'], config: object = {}) => ({ kind, config: JSON.stringify(config) });
const options = [
  { value: 'lamp', zh: '灯具', en: 'Lamp' },
  { value: 'ac', zh: '空调', en: 'AC' },
];

describe('custom field values', () => {
  it('accepts what each kind allows', () => {
    expect(checkFieldValue(def('text', { maxLength: 4 }), '1512', 'zh')).toBeNull();
    expect(checkFieldValue(def('number', { min: -3, max: 60 }), -3, 'zh')).toBeNull();
    expect(checkFieldValue(def('date'), '2028-02-29', 'zh')).toBeNull();
    expect(checkFieldValue(def('select', { options }), 'ac', 'zh')).toBeNull();
    expect(checkFieldValue(def('multi_select', { options }), ['ac', 'lamp'], 'zh')).toBeNull();
    expect(checkFieldValue(def('checkbox'), false, 'zh')).toBeNull();
  });

  it('refuses the wrong kind, out-of-range values and unknown options, in the reader’s language', () => {
    expect(checkFieldValue(def('text'), 12, 'en')).toBe('must be text');
    expect(checkFieldValue(def('text'), 'x'.repeat(501), 'zh')).toBe('最多 500 个字符');
    expect(checkFieldValue(def('number', { max: 60 }), 61, 'en')).toBe('must be at most 60');
    expect(checkFieldValue(def('number'), '5', 'en')).toBe('must be a number');
    expect(checkFieldValue(def('date'), '2026-02-29', 'en')).toMatch(/date/);
    expect(checkFieldValue(def('date'), '2026-1-2', 'en')).toMatch(/date/);
    expect(checkFieldValue(def('select', { options }), 'sofa', 'en')).toBe('not one of the options');
    expect(checkFieldValue(def('multi_select', { options }), ['ac', 'ac'], 'en')).toMatch(/distinct/);
    expect(checkFieldValue(def('multi_select', { options }), ['ac', 'sofa'], 'en')).toMatch(/not one of the options/);
    expect(checkFieldValue(def('checkbox'), 'yes', 'en')).toBe('must be true or false');
  });

  it('treats null, empty text and an empty list as no value, false as a value', () => {
    expect([null, undefined, '', []].every(isEmptyValue)).toBe(true);
    expect(isEmptyValue(false)).toBe(false);
    expect(isEmptyValue(0)).toBe(false);
  });

  it('checks that settings fit the kind', () => {
    expect(checkFieldConfig('select', {}, 'en').map(([f]) => f)).toEqual(['options']);
    expect(checkFieldConfig('text', { options }, 'en').map(([f]) => f)).toEqual(['options']);
    expect(checkFieldConfig('number', { min: 5, max: 1 }, 'en').map(([f]) => f)).toEqual(['max']);
    expect(checkFieldConfig('date', { maxLength: 3 }, 'en').map(([f]) => f)).toEqual(['maxLength']);
    expect(checkFieldConfig('number', { min: 1, max: 5 }, 'en')).toEqual([]);
  });
});
