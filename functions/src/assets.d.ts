/** Fonts are bundled with esbuild's `file` loader: importing one gives its path at run time. */
declare module '*.ttf' {
  const path: string;
  export default path;
}
