// Making and changing DOM and SVG elements; attributes and texts are set only when they change.

export const SVG_NS = 'http://www.w3.org/2000/svg';

export const $ = (selector) => document.querySelector(selector);

export function svg(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

export function html(name, attributes = {}, parent = null, text = null) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  if (parent) parent.appendChild(element);
  return element;
}

/** Sets an attribute only when it changes, so a running CSS animation is not disturbed. */
export function setData(element, key, value) {
  const text = String(value);
  if (element.getAttribute(`data-${key}`) !== text) element.setAttribute(`data-${key}`, text);
}

export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
