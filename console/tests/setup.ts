import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks a few browser APIs TDesign uses.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class RO {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver = (globalThis as any).ResizeObserver ?? RO;
(globalThis as any).__MASHANG_CONFIG__ = { apiBase: 'http://api.test' };
window.scrollTo = () => undefined;
Object.assign(globalThis, { TextEncoder, TextDecoder });

// jsdom has no canvas: ECharts (SVG renderer) measures text through this platform hook instead (about 12 px a glyph).
require('echarts/core').setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 12 }) });
