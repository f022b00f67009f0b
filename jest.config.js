/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
  testMatch: ["**/*.test.ts"],
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  // End-to-end tests drive the real Pulumi CLI; they run one at a time and take minutes.
  testTimeout: 60000,
};
