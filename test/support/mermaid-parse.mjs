// Parses mermaid diagrams with the real `mermaid` package, which needs a DOM (jsdom) and Node >= 22: the report
// corpus test runs this under the runner's Node 24. Reads a JSON array of diagram texts on stdin and prints, per
// diagram, { type } when it parses or { error } when it does not.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const diagram of JSON.parse(input)) {
  try {
    results.push({ type: (await mermaid.parse(diagram)).diagramType });
  } catch (error) {
    results.push({ error: String(error instanceof Error ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));
