/**
 * What the page tests assert: the element is on the page and shown — attached to the document, with no hidden
 * or `display: none` ancestor. (A bare `expect(await findByText(…)).toBeTruthy()` can never fail by itself.)
 */
export function expectShown(el: HTMLElement): HTMLElement {
  expect(el.isConnected).toBe(true);
  for (let e: HTMLElement | null = el; e; e = e.parentElement) {
    expect({ element: e.tagName, hidden: e.hidden || e.style.display === 'none' }).toEqual({
      element: e.tagName,
      hidden: false,
    });
  }
  return el;
}

/** Wait for an element (a findBy… query) and assert it is shown. */
export async function shown(found: Promise<HTMLElement>): Promise<HTMLElement> {
  return expectShown(await found);
}
