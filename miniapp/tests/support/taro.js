// What `@tarojs/taro` is in page tests: the real H5 implementation plus the React hooks, as in an H5 build.
const React = require('react');
const ReactDOM = require('react-dom');
const h5 = require('@tarojs/taro-h5');
const runtime = require('@tarojs/plugin-framework-react/dist/runtime');

runtime.createH5NativeComponentConfig(() => null, React, ReactDOM);

// In an H5 build Taro's api-loader puts every named API on the default export; do the same.
const Taro = Object.assign({}, h5, h5.default);
delete Taro.default;

// A page under test is not mounted by Taro's router, so page lifecycles never fire:
// "shown" is "mounted" here.
function useDidShow(callback) {
  React.useEffect(() => {
    callback();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

module.exports = {
  ...h5,
  ...runtime,
  useDidShow,
  __esModule: true,
  default: Taro,
};
