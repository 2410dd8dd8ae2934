// Tokens per minute and per series (model or provider) over a sliding window, for the chart.
const MINUTE = 60000;
const SHOWN = 6; // series drawn on their own; the rest are summed as "other"

export const minuteOf = (ts) => Math.floor(ts / MINUTE) * MINUTE;

export class Timeline {
  constructor(minutes) {
    this.minutes = minutes;
    this.by = 'model';
    this.buckets = new Map(); // minute start -> Map series -> tokens
    this.colors = new Map(); // series -> palette index, kept for the page's life so colours never swap
  }

  reset(by) {
    this.by = by;
    this.buckets = new Map();
  }

  add(ts, series, tokens) {
    const minute = minuteOf(ts);
    const bucket = this.buckets.get(minute) || new Map();
    bucket.set(series, (bucket.get(series) || 0) + tokens);
    this.buckets.set(minute, bucket);
    if (!this.colors.has(series)) this.colors.set(series, this.colors.size);
  }

  colorOf(series) {
    return this.colors.get(series);
  }

  /** The window as buckets (oldest first) and the series drawn, largest first. */
  view(now = Date.now()) {
    const end = minuteOf(now);
    const start = end - (this.minutes - 1) * MINUTE;
    const totals = new Map();
    for (const [minute, bucket] of this.buckets) {
      if (minute < start) {
        this.buckets.delete(minute);
        continue;
      }
      for (const [k, v] of bucket) totals.set(k, (totals.get(k) || 0) + v);
    }
    const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const shown = new Set(ranked.slice(0, SHOWN));
    const buckets = [];
    for (let m = start; m <= end; m += MINUTE) {
      const out = new Map();
      for (const [k, v] of this.buckets.get(m) || []) {
        const series = shown.has(k) ? k : 'other';
        out.set(series, (out.get(series) || 0) + v);
      }
      buckets.push(out);
    }
    if (ranked.length > SHOWN && !this.colors.has('other')) this.colors.set('other', SHOWN);
    return { buckets, keys: ranked.length > SHOWN ? [...shown, 'other'] : [...shown], start, minute: MINUTE };
  }
}
