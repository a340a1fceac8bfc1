/** Fonts are bundled with esbuild's `file` loader: importing one gives its path at run time. */
declare module '*.ttf' {
  const path: string;
  export default path;
}

/** A brotli-compressed asset (the letter font), bundled the same way. */
declare module '*.br' {
  const path: string;
  export default path;
}
