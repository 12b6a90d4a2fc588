// ESLint flat config: typescript-eslint's recommended rules plus the project's determinism
// rules (no global time or randomness outside the real clock and the Node driver).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/clock/real-clock.ts', 'src/socket/node-driver.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the world RNG (src/random).' },
        { object: 'Date', property: 'now', message: 'Use the Clock interface.' },
        { object: 'performance', property: 'now', message: 'Use the Clock interface.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use the Clock interface.' },
        { name: 'setInterval', message: 'Use the Clock interface.' },
        { name: 'setImmediate', message: 'Use the Clock interface.' },
      ],
    },
  },
);
