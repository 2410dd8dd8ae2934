// Hand-drawn SVG charts: small, offline, and redrawn in place so the layout never moves.
const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const child of children) node.append(child);
  return node;
}

function titled(node, text) {
  node.append(svg('title', {}, [text]));
  return node;
}

/** green under 50 %, yellow under 80 %, red from 80 % */
export function level(fill) {
  if (fill == null) return 'none';
  return fill < 0.5 ? 'ok' : fill < 0.8 ? 'warn' : 'danger';
}

// A point on the gauge's half circle: fraction 0 is the left end, 1 the right end.
function arcPoint(fraction, radius) {
  const angle = Math.PI * (1 - Math.min(Math.max(fraction, 0), 1));
  return [100 + radius * Math.cos(angle), 100 - radius * Math.sin(angle)];
}

function arc(fraction, radius) {
  const [x, y] = arcPoint(Math.min(fraction, 0.9999), radius);
  return `M ${100 - radius} 100 A ${radius} ${radius} 0 0 1 ${x.toFixed(2)} ${y.toFixed(2)}`;
}

/**
 * The context gauge: a half circle filled to `fill` (0..1), and a tick where the reserved
 * output begins (the prompt should stay left of it), when known.
 */
export function gauge(fill, reservedFrom) {
  const root = svg('svg', { viewBox: '0 0 200 108', class: 'gauge-svg', role: 'img', 'aria-hidden': 'true' });
  root.append(svg('path', { d: arc(1, 80), class: 'gauge-track' }));
  if (fill != null && fill > 0) {
    root.append(svg('path', { d: arc(fill, 80), class: `gauge-bar lvl-${level(fill)}` }));
  }
  if (reservedFrom != null && reservedFrom > 0 && reservedFrom < 1) {
    const [x1, y1] = arcPoint(reservedFrom, 66);
    const [x2, y2] = arcPoint(reservedFrom, 94);
    root.append(titled(svg('line', { x1, y1, x2, y2, class: 'gauge-reserved' }),
      `reserved output starts at ${(reservedFrom * 100).toFixed(1)} %`));
  }
  return root;
}

const PALETTE = 7;

/**
 * Stacked bars of tokens per minute. `buckets` is an array (oldest first) of Map key -> tokens;
 * `keys` the series in stacking order, each drawn with `colorOf(key)`; `width` in pixels.
 */
export function timeline(buckets, keys, colorOf, width, height, labelOf) {
  const left = 44, right = 6, top = 8, bottom = 20;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'timeline-svg', role: 'img' });
  let max = 0;
  for (const bucket of buckets) {
    let sum = 0;
    for (const v of bucket.values()) sum += v;
    max = Math.max(max, sum);
  }
  const scale = niceMax(max);
  const plotH = height - top - bottom;
  const plotW = width - left - right;
  for (let i = 0; i <= 2; i++) {
    const y = top + plotH - (plotH * i) / 2;
    root.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'gridline' }));
    root.append(svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, [compact(scale * i / 2)]));
  }
  const bw = plotW / buckets.length;
  buckets.forEach((bucket, i) => {
    let y = top + plotH;
    for (const key of keys) {
      const v = bucket.get(key) || 0;
      if (!v) continue;
      const h = (v / scale) * plotH;
      y -= h;
      root.append(titled(svg('rect', {
        x: (left + i * bw + 0.5).toFixed(2), y: y.toFixed(2), width: Math.max(bw - 1, 1).toFixed(2),
        height: Math.max(h, 0.5).toFixed(2), class: `series c${colorOf(key) % PALETTE}`,
      }), `${labelOf(i)} · ${key}: ${v.toLocaleString()} tokens`));
    }
  });
  const marks = [[0, labelOf(0)], [Math.floor(buckets.length / 2), labelOf(Math.floor(buckets.length / 2))],
    [buckets.length - 1, 'now']];
  for (const [i, text] of marks) {
    const anchor = i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle';
    const x = i === buckets.length - 1 ? width - right : left + i * bw;
    root.append(svg('text', { x, y: height - 5, class: 'axis', 'text-anchor': anchor }, [text]));
  }
  return root;
}

// A round axis maximum at or above `value`: 1, 2 or 5 times a power of ten.
function niceMax(value) {
  if (value <= 0) return 1000;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function compact(n) {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
