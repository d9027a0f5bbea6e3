module.exports = require('../../jest.preset.cjs')(__dirname, { services: ['kafka3', 'kafka4'] });
