import { type EnterpriseDetailView, type EnterpriseView } from '@mashang/shared';
import { api } from '../api';
import { FormDialog } from '../components/FieldForm';
import { RegistryList } from '../components/RegistryList';
import { REGION_OPTIONS } from '../regions';

/** Enterprises belong to a county, never to the prefecture itself. */
const COUNTIES = REGION_OPTIONS.filter((r) => r.value !== 'zhou');

export function Enterprises() {
  return (
    <RegistryList<EnterpriseView>
      title="企业"
      intro="统一社会信用代码按 GB 32100-2015 校验，每个代码只能登记一家企业。"
      noun="企业"
      path="/enterprises"
      countyOptions={COUNTIES}
      columns={[
        { colKey: 'name', title: '企业名称' },
        { colKey: 'creditCode', title: '统一社会信用代码', width: 200 },
        { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
        { colKey: 'code', title: '监督码', cell: ({ row }) => <code>{row.code}</code> },
      ]}
      createDialog={({ onClose, onCreated }) => (
        <FormDialog
          header="新建企业"
          visible
          onClose={onClose}
          fields={[
            { name: 'regionId', label: '区县', kind: 'select', options: COUNTIES },
            { name: 'id', label: '企业编号', placeholder: '例如 ent-menyuan-0130', help: '小写字母、数字和短横线' },
            { name: 'name', label: '企业名称' },
            { name: 'creditCode', label: '统一社会信用代码', placeholder: '18 位' },
            { name: 'contactName', label: '联系人' },
            { name: 'contactPhone', label: '联系电话', placeholder: '11 位手机号' },
          ]}
          onSubmit={async (v) =>
            onCreated((await api<EnterpriseDetailView>('/enterprises', { method: 'POST', body: v })).name)
          }
        />
      )}
      retire={{
        fields: [{ name: 'reason', label: '停用原因', placeholder: '例如 企业注销' }],
        done: '企业已停用，监督码同时停止使用',
      }}
    />
  );
}
