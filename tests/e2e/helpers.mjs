// Where the server under test is (set by scripts/tests.d/e2e.sh).
export const baseUrl = process.env.CELLAR_URL ?? 'http://127.0.0.1:8080';
export const model = process.env.CELLAR_MODEL ?? 'stories';
