// ESLint: typescript-eslint's recommended type-checked rules, and the room rules of the design
// notes (which room may import which) as import restrictions. Prettier owns the layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A room may not import these rooms (paths are matched on the import specifier). */
const forbid = (rooms, why) => ({
  'no-restricted-imports': [
    'error',
    { patterns: rooms.map((room) => ({ group: [`**/${room}/**`, `**/${room}.js`], message: why })) },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.opsbot/', 'test-artifacts/', 'src/sim/console/static/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // An empty catch must say why: `catch { /* reason */ }` is allowed, a bare one is not.
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The rooms (../shared/DESIGN.md, README "Design"). config, log.ts, format.ts and problem.ts are the
  // foundation every room may use; they import no room.
  {
    files: ['src/slack/**/*.ts'],
    rules: forbid(
      ['targets', 'sim', 'main'],
      'src/slack reaches the estate through src/runbooks (plans and queries), never a target adapter or a stand-in.',
    ),
  },
  {
    files: ['src/runbooks/**/*.ts'],
    rules: forbid(
      ['slack', 'commands', 'sim', 'main', 'observability'],
      'src/runbooks may import the engine (step types) and targets (adapters) only.',
    ),
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: forbid(
      ['slack', 'commands', 'runbooks', 'targets', 'sim', 'main', 'observability', 'config'],
      'src/engine knows no cluster and no Slack.',
    ),
  },
  {
    files: ['src/targets/**/*.ts'],
    rules: forbid(
      ['slack', 'commands', 'runbooks', 'engine', 'sim', 'main', 'observability'],
      'src/targets are leaves: they import no room of ours.',
    ),
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: forbid(
      ['slack', 'runbooks', 'engine', 'targets', 'sim', 'main', 'observability'],
      'src/commands turns text into a typed command and imports no other room.',
    ),
  },
  {
    files: ['src/config/**/*.ts', 'src/log.ts', 'src/format.ts', 'src/problem.ts'],
    rules: forbid(
      ['slack', 'commands', 'runbooks', 'engine', 'targets', 'sim', 'main', 'observability'],
      'the foundation imports no room.',
    ),
  },
  {
    files: ['src/observability/**/*.ts'],
    rules: forbid(
      ['targets', 'runbooks', 'sim', 'main', 'commands'],
      'observability watches the engine and Slack calls only.',
    ),
  },
  {
    // The simulators are reached only by tests and the local-mode entry point.
    files: [
      'src/main/web.ts',
      'src/main/worker.ts',
      'src/main/wire.ts',
      'src/main/audit-export.ts',
      'src/main/load-settings.ts',
      'src/main/ops-listener.ts',
    ],
    rules: forbid(['sim'], 'only tests and local mode (src/main/local*.ts) may start a stand-in.'),
  },
);
