/// <reference types="@tarojs/taro" />

declare module '*.css';

/** Build-time constant from config/index.ts (defineConstants). */
declare const API_BASE_URL: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | string;
  }
}
