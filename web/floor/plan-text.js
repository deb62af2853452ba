// Text on the plan: widths measured on a canvas, and labels shrunk or cut with … to fit.
import { $, svg } from './dom.js';

/** Text widths, measured once per text and size (canvas: no layout needed). */
const measurer = { context: null, family: 'sans-serif', stretch: 'normal', cache: new Map() };

export function textWidth(text, px, weight = 700, spacingEm = 0) {
  if (!measurer.context) {
    // The plan's own type (style.css: a condensed face where there is one).
    const style = getComputedStyle($('#plan'));
    measurer.context = document.createElement('canvas').getContext('2d');
    measurer.family = style.fontFamily || 'sans-serif';
    measurer.stretch = style.fontStretch || 'normal';
  }
  const key = `${weight}|${px}|${text}`;
  let width = measurer.cache.get(key);
  if (width === undefined) {
    measurer.context.font = `${weight} ${px}px ${measurer.family}`;
    const stretch = { '75%': 'condensed', '87.5%': 'semi-condensed', '62.5%': 'extra-condensed' }[measurer.stretch] ?? measurer.stretch;
    if ('fontStretch' in measurer.context && stretch !== '100%') measurer.context.fontStretch = stretch;
    width = measurer.context.measureText(text).width;
    if (measurer.cache.size > 20_000) measurer.cache.clear();
    measurer.cache.set(key, width);
  }
  return width + spacingEm * px * text.length;
}

/** A label in at most two lines of at most `width` px; the second ends with … if it must. */
export function wrapLabel(text, px, width) {
  if (textWidth(text, px) <= width) return [text];
  const words = text.split(' ');
  let first = '';
  let i = 0;
  while (i < words.length && textWidth(`${first} ${words[i]}`.trim(), px) <= width) first = `${first} ${words[i++]}`.trim();
  if (!first) return [ellipsis(text, px, width)];
  const rest = words.slice(i).join(' ');
  return rest ? [first, textWidth(rest, px) <= width ? rest : ellipsis(rest, px, width)] : [first];
}

function ellipsis(text, px, width) {
  let shown = text;
  while (shown.length > 1 && textWidth(`${shown}…`, px) > width) shown = shown.slice(0, -1);
  return `${shown.trimEnd()}…`;
}

/** Lines of a text (tspans), shrunk together (down to `smallest`) and then shortened with … to fit `width`. */
export function fitLines(element, lines, width, size, smallest, firstBaseline, lineHeight) {
  element.replaceChildren();
  const widest = Math.max(...lines.map((line) => textWidth(line, size)));
  const fitted = widest <= width ? size : Math.max(smallest, (size * width) / widest);
  element.style.fontSize = `${fitted}px`;
  let cut = false;
  lines.forEach((line, i) => {
    let shown = line;
    if (textWidth(shown, fitted) > width) {
      shown = ellipsis(line, fitted, width);
      cut = true;
    }
    svg('tspan', { x: 0, y: firstBaseline + i * lineHeight }, element).textContent = shown;
  });
  if (cut) svg('title', {}, element).textContent = lines.join(' ');
}

/** Sets a text, shrunk (down to `smallest` px) and then shortened with … to fit `width`. */
export function fitText(element, text, width, size, smallest) {
  element.textContent = text;
  element.style.fontSize = `${size}px`;
  const length = element.getComputedTextLength();
  if (length <= width) return;
  const fitted = Math.max(smallest, Math.floor((size * width) / length));
  element.style.fontSize = `${fitted}px`;
  let shown = text;
  while (shown.length > 1 && element.getComputedTextLength() > width) {
    shown = shown.slice(0, -1);
    element.textContent = `${shown.trimEnd()}…`;
  }
  if (shown !== text) svg('title', {}, element).textContent = text;
}
