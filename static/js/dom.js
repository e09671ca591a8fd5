/**
 * Building page elements safely: every value is set as text, never as markup.
 */
export function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}
