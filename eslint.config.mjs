// Lint: typescript-eslint's recommended rules and React's rules of hooks, over the app, the
// functions, the runtime, scripts and tests. Type errors are tsc's job (`npm run typecheck`).
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', '.data/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    rules: {
      // data crossing the SDK and tests of malformed input are untyped on purpose
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      // closures defined before a late-bound handle (the runtime's SDK) read it later
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
)
