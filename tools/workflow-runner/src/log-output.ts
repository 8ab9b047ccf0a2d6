/**
 * A step's output as the log shows it: workflow commands rendered as the runner's log shows them, or hidden
 * (::debug::, ::endgroup::, ::add-mask::), and every secret and masked value replaced by ***.
 */
export function renderOutput(output: string, secrets: string[]): string[] {
  const masks = secrets.filter((secret) => secret.length > 0);
  const lines: string[] = [];
  for (const line of output.split('\n')) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (command?.[1] === 'add-mask') masks.push(command[2] ?? '');
    const rendered = command ? renderCommand(command[1] ?? '', command[2] ?? '') : line;
    if (rendered) lines.push(mask(rendered, masks));
  }
  return lines;
}

function renderCommand(name: string, message: string): string | undefined {
  const decoded = message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  if (name === 'error' || name === 'warning' || name === 'notice') return `${name}: ${decoded}`;
  if (name === 'group') return `${decoded}:`;
  return undefined;
}

function mask(line: string, masks: string[]): string {
  return masks.filter(Boolean).reduce((text, secret) => text.split(secret).join('***'), line);
}
