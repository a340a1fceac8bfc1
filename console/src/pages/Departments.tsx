import { DEPARTMENT_LEVELS, REGIONS, type DepartmentView } from '@mashang/shared';
import { api } from '../api';
import { FormDialog } from '../components/FieldForm';
import { RegistryList } from '../components/RegistryList';
import { REGION_OPTIONS } from '../regions';

export function Departments() {
  return (
    <RegistryList<DepartmentView>
      title="部门"
      intro={`部门属于区县（或${REGIONS[0].name}），层级为州、县、乡、村。`}
      noun="部门"
      path="/departments"
      columns={[
        { colKey: 'name', title: '部门名称' },
        { colKey: 'id', title: '编号', width: 200 },
        { colKey: 'level', title: '层级', width: 80 },
        { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
      ]}
      createDialog={({ onClose, onCreated }) => (
        <FormDialog
          header="新建部门"
          visible
          onClose={onClose}
          fields={[
            { name: 'regionId', label: '区县', kind: 'select', options: REGION_OPTIONS },
            { name: 'id', label: '部门编号', placeholder: '例如 menyuan-hmz', help: '小写字母、数字和短横线' },
            { name: 'name', label: '部门名称', placeholder: '例如 浩门镇便民服务中心' },
            {
              name: 'level',
              label: '层级',
              kind: 'select',
              options: DEPARTMENT_LEVELS.map((l) => ({ value: l, label: l })),
            },
          ]}
          onSubmit={async (v) =>
            onCreated((await api<DepartmentView>('/departments', { method: 'POST', body: v })).name)
          }
        />
      )}
      retire={{
        fields: [
          { name: 'reason', label: '停用原因', placeholder: '例如 机构改革合并', help: '部门下还有在用窗口时不能停用' },
        ],
        done: '部门已停用',
      }}
    />
  );
}
