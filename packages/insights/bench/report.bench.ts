// deployment-report on a file ledger of 10 004 entries (5 002 journal steps, 1 667 releases), through the built
// dist as a runner runs it, beside a naive peer measured in the same run: Python reading the same file and
// json-parsing every line to count promotions, with nothing else computed.
// Run from the repository root: pnpm bench:report  (the ledger is cached in .bench/report)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, runAction } from '@recsys-actions/testkit';
import { JournalWriter } from '../test/ledgers';
import { writeBusy } from '../test/scenarios';

const RELEASES = 1667;
const ROUNDS = 5;
const workspace = fileURLToPath(new URL('../../../.bench/report/', import.meta.url));
const ledgerPath = `${workspace}.recsys/ledger/production.jsonl`;
// The busy scenario starts on January 1st 2026, one release every two hours.
const until = new Date(Date.parse('2026-01-01T00:00:00Z') + RELEASES * 2 * 3_600_000).toISOString();

if (!existsSync(ledgerPath)) {
  mkdirSync(workspace, { recursive: true });
  console.log(`writing ${RELEASES} releases through the file ledger (once; cached in .bench/report)…`);
  await writeBusy(JournalWriter.file(workspace, 'production'), RELEASES);
}
const entries = readFileSync(ledgerPath, 'utf8').trimEnd().split('\n').length;

const PEER = `
import json, sys
promotions = 0
intents = {}
with open(sys.argv[1]) as ledger:
    for line in ledger:
        entry = json.loads(line)
        if entry["type"] == "intent":
            intents[entry["key"]] = entry
        elif entry["type"] == "outcome" and entry["result"] == "applied":
            targets = [t for t in intents[entry["key"]]["to"]["targets"] if t["weight"] > 0]
            promotions += len(targets) == 1 and entry["key"].split(":")[1] == "shift"
print(promotions)
`;

async function ours(): Promise<{ ms: number; deployments: number }> {
  const start = performance.now();
  const run = await runAction({
    action: 'deployment-report',
    workspace,
    // Two hours more than the releases span: the window starts at v0's promotion, so both count every promotion.
    inputs: { environment: 'production', since: `${RELEASES * 2 + 2}h`, until, ledger: 'file' },
  });
  const ms = performance.now() - start;
  if (run.exitCode !== 0) throw new Error(`deployment-report failed: ${run.errors.join('; ')}`);
  return { ms, deployments: JSON.parse(run.outputs.metrics ?? '[]')[0].deployments as number };
}

function peer(): { ms: number; promotions: number } {
  const start = performance.now();
  const output = execFileSync('/usr/bin/python3', ['-c', PEER, ledgerPath], { encoding: 'utf8' });
  return { ms: performance.now() - start, promotions: Number(output.trim()) };
}

const ourTimes: number[] = [];
const peerTimes: number[] = [];
let counts = { ours: 0, peer: 0 };
for (let round = 0; round < ROUNDS; round += 1) {
  const mine = await ours();
  const theirs = peer();
  ourTimes.push(mine.ms);
  peerTimes.push(theirs.ms);
  counts = { ours: mine.deployments, peer: theirs.promotions };
}
const ourMedian = median(ourTimes);
const peerMedian = median(peerTimes);
console.log(`ledger: ${entries} entries (${RELEASES} releases) in one file ledger`);
console.log(`promotions counted: deployment-report ${counts.ours}, peer ${counts.peer}`);
console.log(
  `deployment-report (built dist on Node 24, process start to report written, median of ${ROUNDS}): ${ourMedian.toFixed(0)} ms`,
);
console.log(
  `peer (python3: parse every line, count promotions, median of ${ROUNDS}): ${peerMedian.toFixed(0)} ms`,
);
console.log(`ratio ours / peer: ${(ourMedian / peerMedian).toFixed(2)}; target: under 1000 ms`);
