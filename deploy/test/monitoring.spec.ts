/**
 * The alert rules (deploy/prometheus/alerts.yml) and the Grafana dashboard
 * (deploy/grafana/dashboards/shop-services.json), which compose and the chart both ship, ask only for
 * series the services export: a renamed metric, or a panel for a metric nobody registers, fails here
 * rather than showing an empty graph or an alert that can never fire. A name counts as exported when
 * the code under apps/ or libs/ spells it (metrics.counter('shop_…'), a Gauge's name…); Prometheus'
 * own series (up) and prom-client's process metrics are taken as given.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const GIVEN = new Set(['up']);
const HISTOGRAM_SUFFIXES = /_(bucket|sum|count)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const code = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))].map((file) => readFileSync(file, 'utf8')).join('\n');
const exported = (series: string) => GIVEN.has(series) || [series, series.replace(HISTOGRAM_SUFFIXES, '')].some((name) => code.includes(`'${name}'`));

/** The metric names an expression reads: identifiers followed by a selector, a range or a closing parenthesis, not label names or functions. */
function seriesIn(expr: string): string[] {
  // Label values, ranges and grouping clauses name no series.
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...withoutStrings.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=\{|\[|\)|$|\s*[<>=!]|\s+(?:and|or|unless)\b)/g)].map((match) => match[1]!);
  const keywords = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);
  return [...new Set(names.filter((name) => !keywords.has(name) && /_/.test(name) || name === 'up'))];
}

const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/dashboards/shop-services.json'), 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };

describe('monitoring asks for series the services export', () => {
  it('finds the series in an expression', () => {
    expect(seriesIn('sum by (service, grpc_code) (rate(http_request_duration_seconds_bucket{service=~"$service"}[$__rate_interval])) > 1 and up == 0')).toEqual([
      'http_request_duration_seconds_bucket',
      'up',
    ]);
    expect(seriesIn('max by (service) (shop_outbox_oldest_pending_age_seconds) > 60')).toEqual(['shop_outbox_oldest_pending_age_seconds']);
    expect(exported('shop_no_such_series_total')).toBe(false);
  });

  it.each(rules.groups.flatMap((group) => group.rules.map((rule) => [rule.alert, rule.expr] as const)))('alert %s', (_alert, expr) => {
    const series = seriesIn(expr);
    expect(series.length).toBeGreaterThan(0);
    expect(series.filter((name) => !exported(name))).toEqual([]);
  });

  it.each(dashboard.panels.filter((panel) => panel.targets?.length).map((panel) => [panel.title, panel.targets!.map((target) => target.expr)] as const))(
    'panel "%s"',
    (_title, exprs) => {
      const series = exprs.flatMap(seriesIn);
      expect(series.length).toBeGreaterThan(0);
      expect(series.filter((name) => !exported(name))).toEqual([]);
    },
  );

  it('plots the event pipeline and the checkout: outbox, relay, consumer lag, checkouts, payments, the saga', () => {
    const plotted = new Set(dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => seriesIn(target.expr))));
    for (const name of [
      'shop_outbox_pending_events',
      'shop_outbox_oldest_pending_age_seconds',
      'shop_outbox_published_total',
      'shop_outbox_relay_failures_total',
      'shop_messaging_consumer_lag',
      'shop_order_checkouts_total',
      'shop_payment_transitions_total',
      'shop_order_saga_events_total',
    ]) {
      expect(plotted).toContain(name);
    }
    const alerted = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => seriesIn(rule.expr))));
    for (const name of ['shop_messaging_consumer_lag', 'shop_outbox_oldest_pending_age_seconds', 'shop_outbox_relay_failures_total']) expect(alerted).toContain(name);
  });
});
