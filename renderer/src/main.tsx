import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridge } from './bridge';
import { App } from './App';
import { removeTokenFromAddress } from './hooks/useRoute';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/pages.css';
import './styles/search.css';

removeTokenFromAddress();
const bridge = createBridge();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App bridge={bridge} />
  </StrictMode>,
);
