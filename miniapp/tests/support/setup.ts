import { Current } from '@tarojs/runtime';
import Taro from '@tarojs/taro';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
  jest.restoreAllMocks();
  localStorage.clear();
  Current.router = null;
});
