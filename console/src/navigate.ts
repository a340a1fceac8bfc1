/** Leaving the console for another site (WeChat's QR login page); one seam, so page tests can see where it goes. */
export const browser = {
  assign(url: string): void {
    globalThis.location.assign(url);
  },
};
