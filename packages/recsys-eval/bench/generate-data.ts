import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@recsys-actions/testkit';

/** Recommendations per user: the benchmark's top-100 lists. */
export const LIST_LENGTH = 100;
/** Ground-truth rows per recommendation row, on average: about 1 M held-out interactions for 10 M. */
const TRUTH_SHARE = 0.1;
const CATALOGUE = 50_000;

export interface BenchFiles {
  readonly recommendations: string;
  readonly interactions: string;
  /** A champion's recommendations for the same users, as many rows (the paired comparison's benchmark). */
  readonly champion: string;
}

/** Share of the champion's list taken from the challenger's: the two models mostly agree, as releases do. */
const CHAMPION_OVERLAP = 0.8;

/** Squaring a uniform draw skews towards low indices: a few popular items, a long tail. */
function popularItem(next: () => number): number {
  const u = next();
  return Math.floor(CATALOGUE * u * u);
}

/** Writes text in large blocks; a write per row would dominate the generation time. */
class BlockWriter {
  private readonly fd: number;
  private parts: string[] = [];

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  add(line: string): void {
    this.parts.push(line);
    if (this.parts.length === 20_000) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
  }
}

/**
 * Writes `recommendationRows` recommendation rows (top-100 lists of distinct items in random score order, so
 * ranking has real work) and about a tenth as many ground-truth rows, once per size: later runs reuse the files.
 */
export function ensureBenchData(folder: string, recommendationRows: number): BenchFiles {
  const users = Math.ceil(recommendationRows / LIST_LENGTH);
  const files: BenchFiles = {
    recommendations: join(folder, `recommendations-${recommendationRows}.csv`),
    interactions: join(folder, `interactions-${recommendationRows}.csv`),
    champion: join(folder, `champion-${recommendationRows}.csv`),
  };
  if (Object.values(files).every((path) => existsSync(path))) return files;
  mkdirSync(folder, { recursive: true });
  const next = seededRandom(20_240_601);
  const chosenBy = new Int32Array(CATALOGUE).fill(-1);

  const recommendations = new BlockWriter(`${files.recommendations}.partial`);
  const interactions = new BlockWriter(`${files.interactions}.partial`);
  const champion = new ChampionWriter(`${files.champion}.partial`);
  recommendations.add('user,item,score\n');
  interactions.add('user,item\n');
  const list = new Int32Array(LIST_LENGTH);
  for (let user = 0; user < users; user++) {
    writeList(recommendations, user, next, chosenBy, list);
    champion.add(user, list);
    // 0 to 20 held-out items (a tenth of the list on average); about a third were recommended, so hits happen.
    const held = Math.floor(next() * (2 * TRUTH_SHARE * LIST_LENGTH + 1));
    for (let written = 0; written < held;) {
      const item = next() < 0.3 ? (list[Math.floor(next() * LIST_LENGTH)] as number) : popularItem(next);
      if (chosenBy[item] === -user - 2) continue;
      chosenBy[item] = -user - 2;
      written++;
      interactions.add(`u${user},i${item}\n`);
    }
  }
  for (const writer of [recommendations, interactions, champion.writer]) {
    writer.close();
    renameSync(writer.path, writer.path.replace(/\.partial$/, ''));
  }
  return files;
}

/** The shard a user belongs to: a hash of the id, as a warehouse export would split it (FNV-1a, 32 bits). */
export function shardOfUser(user: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < user.length; i++) hash = Math.imul(hash ^ user.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}

/** The bench files split into `shards` by user, once: later runs reuse them. */
export function ensureShards(files: BenchFiles, shards: number): Omit<BenchFiles, 'champion'>[] {
  const split = (path: string) => {
    const parts = Array.from({ length: shards }, (_, shard) =>
      path.replace(/\.csv$/, `.shard${shard}of${shards}.csv`),
    );
    if (parts.every((part) => existsSync(part))) return parts;
    const writers = parts.map((part) => new BlockWriter(`${part}.partial`));
    const text = readFileSync(path, 'utf8');
    let start = text.indexOf('\n') + 1;
    for (const writer of writers) writer.add(text.slice(0, start));
    while (start < text.length) {
      const end = text.indexOf('\n', start) + 1 || text.length;
      const line = text.slice(start, end);
      (writers[shardOfUser(line.slice(0, line.indexOf(',')), shards)] as BlockWriter).add(line);
      start = end;
    }
    writers.forEach((writer, shard) => {
      writer.close();
      renameSync(`${parts[shard]}.partial`, parts[shard] as string);
    });
    return parts;
  };
  const recommendations = split(files.recommendations);
  const interactions = split(files.interactions);
  return recommendations.map((path, shard) => ({
    recommendations: path,
    interactions: interactions[shard] as string,
  }));
}

/**
 * Writes the champion's list beside each challenger list, from a generator of its own so the challenger's files
 * stay as they were: 80 % of the challenger's items, the rest other popular items, all in a new score order.
 */
class ChampionWriter {
  readonly writer: BlockWriter;
  private readonly next = seededRandom(20_261_206);
  private readonly chosenBy = new Int32Array(CATALOGUE).fill(-1);

  constructor(path: string) {
    this.writer = new BlockWriter(path);
    this.writer.add('user,item,score\n');
  }

  add(user: number, challengerList: Int32Array): void {
    const kept = Math.round(CHAMPION_OVERLAP * LIST_LENGTH);
    for (let position = 0; position < LIST_LENGTH; position++)
      this.chosenBy[challengerList[position] as number] = user;
    for (let position = 0; position < kept; position++) this.write(user, challengerList[position] as number);
    for (let written = kept; written < LIST_LENGTH;) {
      const item = popularItem(this.next);
      if (this.chosenBy[item] === user) continue;
      this.chosenBy[item] = user;
      written++;
      this.write(user, item);
    }
  }

  private write(user: number, item: number): void {
    this.writer.add(`u${user},i${item},${this.next().toFixed(6)}\n`);
  }
}

/** One user's top-100 of distinct items, in random score order, kept in `list`. */
function writeList(
  writer: BlockWriter,
  user: number,
  next: () => number,
  chosenBy: Int32Array,
  list: Int32Array,
): void {
  for (let written = 0; written < LIST_LENGTH;) {
    const item = popularItem(next);
    if (chosenBy[item] === user) continue;
    chosenBy[item] = user;
    list[written++] = item;
    writer.add(`u${user},i${item},${next().toFixed(6)}\n`);
  }
}
