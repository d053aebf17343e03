import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KefuApp } from './App.tsx';
import './global.css';
import './i18n/index.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KefuApp />
  </StrictMode>,
);
