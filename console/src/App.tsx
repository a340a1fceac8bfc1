import { HashRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Button, Layout, Menu, Tag } from 'tdesign-react';
import { AuthProvider, roleText, useAuth } from './auth';
import { Audit } from './pages/Audit';
import { CaseDetail, Cases } from './pages/Cases';
import { Calendar } from './pages/Calendar';
import { Departments } from './pages/Departments';
import { Enterprises } from './pages/Enterprises';
import { Login } from './pages/Login';
import { MonthlyReport } from './pages/MonthlyReport';
import { Statistics } from './pages/Statistics';
import { Exports } from './pages/Exports';
import { WindowDetail } from './pages/WindowDetail';
import { Windows } from './pages/Windows';
import { extraRoutes, extraMenu } from './sections';

const { Header, Aside, Content } = Layout;
const { MenuItem, SubMenu } = Menu;

/** Side menu per section (SPEC §2.6); the operator's pages are hidden from inspectors, who keep the audit trail. */
function Shell() {
  const { user, signOut, has } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  const operator = has('operator');
  const section = '/' + (loc.pathname.split('/')[1] ?? '');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Aside width="220px" style={{ background: '#fff', borderRight: '1px solid #eee' }}>
        <div style={{ padding: '18px 20px', fontWeight: 600, fontSize: 16 }}>码上监督 管理后台</div>
        <Menu value={section} onChange={(v) => nav(String(v))} style={{ width: 220 }}>
          <SubMenu value="registry" title="登记管理">
            <MenuItem value="/windows">窗口与监督码</MenuItem>
            <MenuItem value="/departments">部门</MenuItem>
            <MenuItem value="/enterprises">企业</MenuItem>
          </SubMenu>
          <MenuItem value="/cases">督办件</MenuItem>
          <MenuItem value="/stats">统计分析</MenuItem>
          <MenuItem value="/reports">月度报告</MenuItem>
          <MenuItem value="/exports">数据导出</MenuItem>
          {extraMenu(operator)}
          <MenuItem value="/calendar">节假日日历</MenuItem>
          <MenuItem value="/audit">审计日志</MenuItem>
        </Menu>
      </Aside>
      <Layout>
        <Header
          style={{
            background: '#fff',
            borderBottom: '1px solid #eee',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            padding: '0 24px',
            gap: 8,
          }}
        >
          {user?.roles.slice(0, 3).map((g) => (
            <Tag key={`${g.role}${g.scope}`} theme="primary" variant="light">
              {roleText(g, user?.scopeNames)}
            </Tag>
          ))}
          <Button variant="text" onClick={signOut}>
            退出登录
          </Button>
        </Header>
        <Content style={{ padding: 24, background: '#f3f5f8' }}>
          <div style={{ background: '#fff', padding: 24, borderRadius: 6, minHeight: 'calc(100vh - 120px)' }}>
            <Routes>
              <Route path="/" element={<Navigate to="/windows" replace />} />
              <Route path="/windows" element={<Windows />} />
              <Route path="/windows/:id" element={<WindowDetail />} />
              <Route path="/departments" element={<Departments />} />
              <Route path="/enterprises" element={<Enterprises />} />
              <Route path="/audit" element={<Audit />} />
              <Route path="/cases" element={<Cases />} />
              <Route path="/cases/:id" element={<CaseDetail />} />
              <Route path="/calendar" element={<Calendar />} />
              <Route path="/stats" element={<Statistics />} />
              <Route path="/reports" element={<MonthlyReport />} />
              <Route path="/exports" element={<Exports />} />
              {extraRoutes()}
              <Route path="*" element={<div>页面不存在</div>} />
            </Routes>
          </div>
        </Content>
      </Layout>
    </Layout>
  );
}

function Gate() {
  const { user } = useAuth();
  return user ? <Shell /> : <Login />;
}

export function App() {
  return (
    <AuthProvider>
      <HashRouter>
        <Gate />
      </HashRouter>
    </AuthProvider>
  );
}
