// The phones on the plan: ringing, held, and the arrow to the desk that should answer.
import { setData, setText } from './dom.js';
import { page } from './state.js';
import { ringText } from './words.js';

export function renderPhones() {
  const layout = page.layout;
  if (!layout) return;
  const ringingOn = new Set();
  for (const [id, view] of page.views.phones) {
    const line = page.lines[id] ?? { state: 'idle', ring: 0, desk: null };
    const ringing = line.state === 'ringing';
    if (ringing) for (const desk of view.desks) ringingOn.add(desk);
    setData(view.g, 'state', line.state);
    setData(view.g, 'late', ringing && line.ring >= page.answerBy);
    const talking = line.state === 'answered' || line.state === 'in-use';
    setData(view.g, 'held', talking && line.heldSince != null);
    setText(view.ring, ringing ? ringText(line.ring) : talking ? (line.heldSince != null ? 'on hold' : 'on call') : '');
    for (const leader of view.leaders) setData(leader, 'state', line.state);
    const link = page.views.links.get(id);
    const target = ringing && line.desk ? page.views.desks.get(line.desk) : null;
    if (!target) {
      setData(link, 'shown', false);
      continue;
    }
    // An arrow from the edge of the line's phone to the edge of the desk that should answer; when the two (nearly)
    // touch, a line between their centres, under both.
    const [dx, dy] = target.center;
    const from = view.at;
    const length = Math.hypot(from[0] - dx, from[1] - dy) || 1;
    const ux = (from[0] - dx) / length;
    const uy = (from[1] - dy) / length;
    const halfW = (layout.bodyW / 2 + layout.d.halo + 4) * layout.scale;
    const halfH = (layout.bodyH / 2 + layout.d.halo + 4) * layout.scale;
    const edge = Math.min(halfW / Math.abs(ux || 1e-9), halfH / Math.abs(uy || 1e-9)) + 8;
    const arrow = length - view.radius - 6 - edge >= 24;
    link.setAttribute('x1', arrow ? from[0] - ux * (view.radius + 6) : from[0]);
    link.setAttribute('y1', arrow ? from[1] - uy * (view.radius + 6) : from[1]);
    link.setAttribute('x2', arrow ? dx + ux * edge : dx);
    link.setAttribute('y2', arrow ? dy + uy * edge : dy);
    if (arrow) link.setAttribute('marker-end', 'url(#arrow)');
    else link.removeAttribute('marker-end');
    setData(link, 'shown', true);
  }
  for (const [id, view] of page.views.desks) setData(view.g, 'phone-ringing', ringingOn.has(id));
}
