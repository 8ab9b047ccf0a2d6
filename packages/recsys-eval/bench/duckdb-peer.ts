// The DuckDB peer: what a team would write in SQL for ndcg, precision, recall and map@k with binary relevance,
// in its own process so the parent reads this process's peak RSS alone. Definitions as recsys-eval's README
// gives them: ties in score keep file order (DuckDB keeps insertion order in a table's rowid), ndcg averages over
// every ground-truth user (0 without recommendations), the others over ground-truth users with recommendations.
import { DuckDBInstance } from '@duckdb/node-api';
import { printMeasurement } from './measure';

const [recommendations, interactions, ks] = process.argv.slice(2);
if (recommendations === undefined || interactions === undefined || ks === undefined) {
  throw new Error('usage: duckdb-peer.ts <recommendations> <interactions> <k,k,...>');
}
const cutoffs = ks.split(',').map(Number);
const maxK = Math.max(...cutoffs);
const literal = (path: string) => `'${path.replace(/'/g, "''")}'`;

const started = performance.now();
const cpuBefore = process.cpuUsage();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`CREATE TABLE recs AS SELECT * FROM read_csv(${literal(recommendations)})`);
await connection.run(`CREATE TABLE truth AS SELECT * FROM read_csv(${literal(interactions)})`);
const reader = await connection.runAndReadAll(`
WITH ranked AS (
  SELECT "user", item, row_number() OVER (PARTITION BY "user" ORDER BY score DESC, rowid) AS rank
  FROM recs QUALIFY rank <= ${maxK}
),
hits AS (
  SELECT r."user", r.rank, row_number() OVER (PARTITION BY r."user" ORDER BY r.rank) AS hit
  FROM ranked r JOIN truth t ON t."user" = r."user" AND t.item = r.item
),
relevant AS (SELECT "user", count(*) AS r FROM truth GROUP BY "user"),
recommended AS (SELECT DISTINCT "user" FROM recs),
cutoffs AS (SELECT unnest([${cutoffs.join(',')}]) AS k),
ideal AS (
  SELECT n, sum(1 / log2(n + 1)) OVER (ORDER BY n) AS idcg FROM range(1, ${maxK + 1}) t(n)
),
per_user AS (
  SELECT rel."user", c.k, rel.r, rec."user" IS NOT NULL AS evaluated,
    coalesce(sum(1 / log2(h.rank + 1)) FILTER (WHERE h.rank <= c.k), 0) AS dcg,
    count(h.rank) FILTER (WHERE h.rank <= c.k) AS hits,
    coalesce(sum(h.hit / h.rank) FILTER (WHERE h.rank <= c.k), 0) AS precision_sum
  FROM relevant rel CROSS JOIN cutoffs c
  LEFT JOIN recommended rec ON rec."user" = rel."user"
  LEFT JOIN hits h ON h."user" = rel."user"
  GROUP BY ALL
)
SELECT p.k,
  avg(CASE WHEN p.evaluated THEN p.dcg / i.idcg ELSE 0 END) AS ndcg,
  avg(p.hits / p.k) FILTER (WHERE p.evaluated) AS precision,
  avg(p.hits / p.r) FILTER (WHERE p.evaluated) AS recall,
  avg(p.precision_sum / least(p.r, p.k)) FILTER (WHERE p.evaluated) AS map
FROM per_user p JOIN ideal i ON i.n = least(p.r, p.k)
GROUP BY p.k ORDER BY p.k`);
const metrics: Record<string, number> = {};
for (const row of reader.getRowObjects()) {
  for (const name of ['ndcg', 'precision', 'recall', 'map'])
    metrics[`${name}@${Number(row.k)}`] = Number(row[name]);
}
printMeasurement(started, cpuBefore, { metrics });
