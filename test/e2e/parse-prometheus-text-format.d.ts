// parse-prometheus-text-format 1.1.1 ships no types: the shape its README documents (prom2json's).
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
