import * as z from 'zod/mini';
import { lazily } from './lazily';

/**
 * Charts and tables travel inside the report as data, so every renderer (job summary and PR comment, Slack,
 * terminal, a later re-render of the report file) draws them from the report alone. Each kind says what to
 * show, never how one renderer spells it: no Markdown, mermaid or mrkdwn inside.
 */

/** What every section has: a heading, and plain text shown before (`intro`) and after (`footnote`) its body. */
const sectionBase = lazily(() => ({
  title: z.string(),
  intro: z.optional(z.string()),
  footnote: z.optional(z.string()),
}));

export const chartSeriesSchema = lazily(() =>
  z.object({
    name: z.string(),
    style: z._default(z.enum(['line', 'bar']), 'line'),
    /** One value per x-axis label, already in the unit the y-axis names. */
    values: z.array(z.number()),
    /** A hex colour such as `#e8590c`; renderers that draw colours use it, in series order. */
    colour: z.optional(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/))),
  }),
);
export type ChartSeries = z.infer<ReturnType<typeof chartSeriesSchema>>;

export const chartSchema = lazily(() =>
  z.object({
    title: z.string(),
    xAxis: z.object({
      label: z.optional(z.string()),
      /** Numbers are drawn as numbers (elapsed time), strings as categories (histogram bins). */
      labels: z.array(z.union([z.string(), z.number()])),
    }),
    yAxis: z.object({
      label: z.optional(z.string()),
      range: z.optional(z.object({ min: z.number(), max: z.number() })),
    }),
    series: z.array(chartSeriesSchema()).check(z.minLength(1)),
    /** The drawing size in pixels for renderers that draw; others ignore it. */
    size: z.optional(z.object({ width: z.int().check(z.positive()), height: z.int().check(z.positive()) })),
  }),
);
export type Chart = z.infer<ReturnType<typeof chartSchema>>;

/** Zero charts is allowed: the intro then says why there is nothing to draw. */
export const chartSectionSchema = lazily(() =>
  z.object({
    kind: z.literal('chart'),
    ...sectionBase(),
    charts: z.array(chartSchema()),
  }),
);
export type ChartSection = z.infer<ReturnType<typeof chartSectionSchema>>;

/**
 * How a column's cells read: `text` as written, `code` as an identifier (a column or check name), `number`
 * formatted like every other number in reports (null as "—"), `flag` a boolean as yes/no, yes stressed.
 */
export const TABLE_CELL_FORMATS = ['text', 'code', 'number', 'flag'] as const;
export type TableCellFormat = (typeof TABLE_CELL_FORMATS)[number];

export const tableCellSchema = lazily(() => z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type TableCell = z.infer<ReturnType<typeof tableCellSchema>>;

export const tableSectionSchema = lazily(() =>
  z.object({
    kind: z.literal('table'),
    ...sectionBase(),
    columns: z
      .array(z.object({ header: z.string(), format: z._default(z.enum(TABLE_CELL_FORMATS), 'text') }))
      .check(z.minLength(1)),
    /** One cell per column, in column order. */
    rows: z.array(z.array(tableCellSchema())),
  }),
);
export type TableSection = z.infer<ReturnType<typeof tableSectionSchema>>;
export type TableColumn = TableSection['columns'][number];

export const reportSectionSchema = lazily(() =>
  z.discriminatedUnion('kind', [chartSectionSchema(), tableSectionSchema()]),
);
export type ReportSection = z.infer<ReturnType<typeof reportSectionSchema>>;
export type ReportSectionInput = z.input<ReturnType<typeof reportSectionSchema>>;
