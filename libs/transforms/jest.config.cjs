// On the BigQuery emulator every statement is a job; with the other suites' full builds on the same emulator (CI runs
// them back to back on one), a hook or test of these suites has taken over 60 s (setting up or dropping datasets).
module.exports = require('../../jest.preset.cjs')(__dirname, { services: ['postgres', 'bigquery'], testTimeout: 300_000 });
