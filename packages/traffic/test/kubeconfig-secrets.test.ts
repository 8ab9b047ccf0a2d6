import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigSecrets } from '../src/routers/kubernetes/client';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-secrets-'));
const base64 = (seed: string, length: number) =>
  Buffer.from(seed.repeat(length)).toString('base64').slice(0, length);
const ca = base64('certificate authority ', 1800);
const clientCertificate = base64('client certificate ', 1500);
const clientKey = base64('client key ', 1700);

function kubeconfigAt(name: string, text: string): NodeJS.ProcessEnv {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { KUBECONFIG: path };
}

describe('kubeconfigSecrets: what the action masks before the client loads', () => {
  it('finds tokens, passwords and client keys, and not the public certificates', () => {
    const environment = kubeconfigAt(
      'block',
      `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1
    certificate-authority-data: ${ca}
users:
- name: deployer
  user:
    token: "sa-token-1"
- name: admin
  user:
    client-certificate-data: '${clientCertificate}'
    client-key-data: ${clientKey}
  # a comment between users
- name: basic
  user: { username: ops, password: hunter22 }
contexts: []
`,
    );
    expect(kubeconfigSecrets(environment)).toEqual(['sa-token-1', clientKey, 'hunter22']);
  });

  it('reads a JSON kubeconfig and every file of a KUBECONFIG list', () => {
    const json = kubeconfigAt(
      'json',
      JSON.stringify({
        clusters: [{ name: 'a', cluster: { 'certificate-authority-data': ca } }],
        users: [
          { name: 'a', user: { 'client-certificate-data': clientCertificate, 'client-key-data': clientKey } },
        ],
      }),
    );
    const block = kubeconfigAt('second', `users:\n  - name: b\n    user:\n      token: second-token\n`);
    expect(kubeconfigSecrets({ KUBECONFIG: `${json.KUBECONFIG}:${block.KUBECONFIG}` })).toEqual([
      clientKey,
      'second-token',
    ]);
  });

  it("finds a token file, an auth provider's tokens and an exec plugin's credential variables", () => {
    writeFileSync(join(dir, 'sa.token'), 'file-token-9\n');
    const environment = kubeconfigAt(
      'providers',
      `users:
- name: from-file
  user: { tokenFile: sa.token }
- name: oidc
  user:
    auth-provider:
      name: oidc
      config: { client-id: public-id, client-secret: oidc-secret, id-token: oidc-id-token, refresh-token: oidc-refresh }
- name: exec
  user:
    exec:
      command: aws
      env:
        - { name: AWS_PROFILE, value: prod }
        - { name: AWS_SECRET_ACCESS_KEY, value: exec-secret-key }
        - { name: VAULT_TOKEN, value: exec-vault-token }
`,
    );
    expect(kubeconfigSecrets(environment)).toEqual([
      'file-token-9',
      'oidc-secret',
      'oidc-id-token',
      'oidc-refresh',
      'exec-secret-key',
      'exec-vault-token',
    ]);
  });

  it('skips a missing or broken file (the client names it when it loads)', () => {
    const broken = kubeconfigAt('broken', 'users: [ { user: { token: x }\n');
    expect(kubeconfigSecrets({ KUBECONFIG: `${join(dir, 'absent')}:${broken.KUBECONFIG}` })).toEqual([]);
  });
});
