declare module 'parse-prometheus-text-format' {
  type Sample = { value: string; labels?: Record<string, string> };
  type Family = { name: string; help: string; type: 'COUNTER' | 'GAUGE' | 'SUMMARY' | 'HISTOGRAM' | 'UNTYPED'; metrics: Sample[] };
  export default function parsePrometheusTextFormat(text: string): Family[];
}
