// Page tests run in jsdom; the build checks (tests/checks) run in node and need none of this.
if (typeof window !== 'undefined') {
  const { Current } = require('@tarojs/runtime');
  const { cleanup } = require('@testing-library/react');
  afterEach(() => {
    cleanup();
    jest.restoreAllMocks();
    localStorage.clear();
    Current.router = null;
  });
}
export {};
