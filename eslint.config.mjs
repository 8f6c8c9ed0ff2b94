// ESLint (flat config). A small rule set the code base keeps, plus the engine boundary.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The engine boundary: outside src/soap, the engine is imported through its three entry points only,
 * `src/soap` (runtime), `src/soap/security` (WS-Security) and `src/soap/codegen` (contracts, codegen).
 * A path reaching any other file under src/soap is an internal and is refused.
 */
const BOUNDARY_MESSAGE =
  'Engine internals are private: import from the entry points src/soap, src/soap/security or src/soap/codegen.';
/** Inside src/, `soap/` in a relative path is src/soap. */
const ENGINE_INTERNALS_FROM_SRC = { regex: String.raw`(^|/)soap/(?!(security|codegen)$).+`, message: BOUNDARY_MESSAGE };
/** From test/ and bench/, the engine is always spelled with its src/ (test/soap/... are test helpers). */
const ENGINE_INTERNALS_FROM_OUTSIDE = {
  regex: String.raw`(^|/)src/soap/(?!(security|codegen)$).+`,
  message: BOUNDARY_MESSAGE,
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-results/**', 'bench/.work/**', '**/*.js', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // XML's character rules are written as regular expressions over control characters on purpose.
      'no-control-regex': 'off',
      // Regexes that match generated, indented code read better with the spaces spelled out.
      'no-regex-spaces': 'off',
    },
  },
  {
    // The XML Name classes include combining marks by definition (XML 1.0 NameChar).
    files: ['src/soap/schema/lexical.ts'],
    rules: { 'no-misleading-character-class': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_INTERNALS_FROM_SRC] }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_INTERNALS_FROM_OUTSIDE] }] },
  },
  {
    // The engine itself, its own tests, and the micro-benchmarks that time single engine stages use internals.
    files: [
      'src/soap/**',
      'test/soap/**',
      'bench/codec-micro.ts',
      'bench/parse-micro.ts',
      'bench/signed-micro.ts',
      'bench/lib/micro.ts',
      // The portal's samples are checked against the engine's own decoder, an internal by nature.
      'test/portal/sample.test.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
);
