import { ESLint } from 'eslint';
import { findWorkspaceRoot } from './workspace.js';

const root = findWorkspaceRoot();

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('fails lint when a domain library imports a data-access library', async () => {
    const messages = await lintAs(
      'libs/fraud-rules/src/boundary-fixture.ts',
      "import { openDatabase } from '@fraudline/db';\nexport const leak = openDatabase;\n",
    );
    expect(messages).toEqual([expect.stringContaining('A project tagged with "type:domain" can only depend on libs tagged with "type:domain", "type:util"')]);
  });

  it('fails lint when a batch library imports a stream library', async () => {
    const messages = await lintAs(
      'libs/extract/src/boundary-fixture.ts',
      "import { startOrderSubscriber } from '@fraudline/decisioning';\nexport const leak = startOrderSubscriber;\n",
    );
    expect(messages).toEqual([
      expect.stringContaining('A project tagged with "scope:batch" can only depend on libs tagged with "scope:batch", "scope:shared"'),
    ]);
  });

  it('accepts an import that points downward', async () => {
    expect(
      await lintAs(
        'libs/decisioning/src/boundary-fixture.ts',
        "import { decodeOrderPlaced } from '@fraudline/events';\nexport const ok = decodeOrderPlaced;\n",
      ),
    ).toEqual([]);
  });
});
