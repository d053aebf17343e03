import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../../../contracts/api.ts';
import { buildTree, kindsUnder, unitOptions } from './orgTree.ts';

const unit = (id: string, parentId: string | null, name: string, kind: OrgUnit['kind'] = 'department'): OrgUnit => ({
  id,
  parentId,
  path: '',
  kind,
  name,
  code: id,
  timeZone: 'Asia/Shanghai',
  version: 1,
  createdAt: '',
  updatedAt: '',
});

describe('the org tree of the console', () => {
  it('nests units under their parents, children in Chinese collation order', () => {
    const tree = buildTree([unit('g', null, '牡丹集团', 'group'), unit('z', 'g', '郑州分店', 'company'), unit('l', 'g', '洛阳分店', 'company'), unit('k', 'l', '客服部')]);
    expect(tree.map((n) => n.unit.name)).toEqual(['牡丹集团']);
    expect(tree[0].children!.map((n) => n.unit.name)).toEqual(['洛阳分店', '郑州分店']);
    expect(tree[0].children![0].children!.map((n) => n.unit.name)).toEqual(['客服部']);
    expect(tree[0].children![1].children).toBeUndefined();
  });

  it('makes a unit whose parent is out of the reader’s scope a root', () => {
    expect(buildTree([unit('k', 'hidden', '客服部'), unit('t', 'k', '早班组', 'team')]).map((n) => n.unit.name)).toEqual(['客服部']);
  });

  it('offers only lower kinds under a parent, and groups or companies at the top', () => {
    expect(kindsUnder(null)).toEqual(['group', 'company']);
    expect(kindsUnder('company')).toEqual(['department', 'team']);
    expect(kindsUnder('team')).toEqual([]);
  });

  it('turns the tree into TreeSelect options with disabled units', () => {
    const options = unitOptions(buildTree([unit('g', null, '集团', 'group'), unit('t', 'g', '班组', 'team')]), (u) => u.kind === 'team');
    expect(options).toEqual([{ value: 'g', title: '集团', disabled: false, children: [{ value: 't', title: '班组', disabled: true }] }]);
  });
});
