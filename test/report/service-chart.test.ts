import { describe, expect, it } from 'vitest';
import { hourlyStats, renderServiceChart, type HourStat } from '../../src/bridge/report/service-chart.js';

const ZONE = 'Europe/Amsterdam';
const local = (time: string) => Date.parse(`2026-03-02T${time}+01:00`);

/** Well-formed XML for what the chart uses: tags balance, attributes are quoted, & only in entities. */
function checkWellFormed(xml: string): void {
  const open: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos);)/g;
  let last = 0;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    if (match[0] === '<' || match[0] === '&') throw new Error(`stray ${match[0]} at ${match.index}: ${xml.slice(match.index, match.index + 40)}`);
    if (/[<>]/.test(xml.slice(last, match.index))) throw new Error(`stray markup before ${match.index}`);
    last = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      if (open.pop() !== name) throw new Error(`</${name}> does not close the open element at ${match.index}`);
    } else if (!selfClosing) open.push(name!);
  }
  if (open.length) throw new Error(`unclosed: ${open.join(', ')}`);
}

const elements = (svg: string, className: string) => [...svg.matchAll(new RegExp(`<\\w+ class="${className}"[^>]*>(?:<title>([^<]*)</title>)?`, 'g'))];

describe('hourlyStats', () => {
  it('counts calls per local hour, all 24 hours, ignoring other decisions', () => {
    const hours = hourlyStats([
      { t: local('09:10:00'), type: 'answered', onTime: true },
      { t: local('09:20:00'), type: 'answered', onTime: false },
      { t: local('09:59:59'), type: 'missed' },
      { t: local('10:00:00'), type: 'missed' },
      { t: local('10:05:00'), type: 'ring' },
    ], ZONE);
    expect(hours).toHaveLength(24);
    expect(hours[9]).toEqual({ hour: 9, calls: 3, onTime: 1, missed: 1, serviceLevel: 33.3 });
    expect(hours[10]).toEqual({ hour: 10, calls: 1, onTime: 0, missed: 1, serviceLevel: 0 });
    expect(hours[11]).toEqual({ hour: 11, calls: 0, onTime: 0, missed: 0, serviceLevel: null });
  });
});

describe('renderServiceChart', () => {
  const hours: HourStat[] = hourlyStats([], ZONE).map((h) => ({ ...h }));
  const set = (hour: number, calls: number, onTime: number, missed: number) => (hours[hour] = { hour, calls, onTime, missed, serviceLevel: Math.round((onTime / calls) * 1000) / 10 });
  set(8, 4, 4, 0);
  set(9, 10, 8, 2);
  set(10, 12, 6, 5);
  set(12, 7, 3, 4);
  set(13, 2, 2, 0);
  const svg = renderServiceChart(hours, { subtitle: 'Site <a> & b' });

  it('is well-formed, accessible SVG', () => {
    checkWellFormed(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* role="img" aria-labelledby="chart-title chart-desc"/);
    expect(svg).toContain('<title id="chart-title">When are calls missed? Missed calls and service level by hour of day</title>');
    expect(svg).toContain('Site &lt;a&gt; &amp; b');
    expect(svg).toContain('Most missed calls at 10:00 (5 of 12).');
    expect(svg).toContain('Lowest service level at 12:00 (42.9%).');
    expect(svg).toContain('missed calls (bars, left axis)');
    expect(svg).toContain('service level % (line, right axis)');
  });

  it('draws the hours from the first to the last with calls, a labelled bar per hour with missed calls', () => {
    expect([...svg.matchAll(/<g class="axis-hours"[\s\S]*?<\/g>/g)][0]![0].match(/>(\d\d)</g)).toEqual(['>08<', '>09<', '>10<', '>11<', '>12<', '>13<']);
    expect(elements(svg, 'missed-bar').map((m) => m[1])).toEqual([
      '09:00–10:00: 2 missed of 10 calls', '10:00–11:00: 5 missed of 12 calls', '12:00–13:00: 4 missed of 7 calls',
    ]);
    expect([...svg.matchAll(/class="missed-label"[^>]*>(\d+)</g)].map((m) => m[1])).toEqual(['2', '5', '4']);
  });

  it('plots service level per hour with calls, breaking the line over an hour without', () => {
    expect(elements(svg, 'service-point').map((m) => m[1])).toEqual([
      '08:00–09:00: service level 100.0% (4 of 4 on time)', '09:00–10:00: service level 80.0% (8 of 10 on time)',
      '10:00–11:00: service level 50.0% (6 of 12 on time)', '12:00–13:00: service level 42.9% (3 of 7 on time)',
      '13:00–14:00: service level 100.0% (2 of 2 on time)',
    ]);
    expect(svg.match(/<polyline /g)).toHaveLength(2); // 08–10, then 12–13
  });

  it('puts bar heights and point heights on the same scale as the axes', () => {
    const bar = (i: number) => Number(/height="([\d.]+)"/.exec(elements(svg, 'missed-bar')[i]![0])![1]);
    expect(bar(1) / bar(0)).toBeCloseTo(5 / 2, 1);
    const cy = elements(svg, 'service-point').map((m) => Number(/cy="([\d.]+)"/.exec(m[0])![1]));
    expect((cy[2]! - cy[0]!) / (cy[1]! - cy[0]!)).toBeCloseTo((100 - 50) / (100 - 80), 1);
  });

  it('says so when there were no calls', () => {
    const empty = renderServiceChart(hourlyStats([], ZONE));
    checkWellFormed(empty);
    expect(empty).toContain('No calls in this period');
    expect(elements(empty, 'missed-bar')).toHaveLength(0);
    expect(elements(empty, 'service-point')).toHaveLength(0);
  });
});
