import { createRoot } from 'react-dom/client';
import 'tdesign-react/es/style/index.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
