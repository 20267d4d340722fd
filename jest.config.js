// Three layers of the test pyramid (DESIGN.md): pure unit tests, provider tests against a real
// sshd, and end-to-end tests that drive the real Pulumi CLI against real hosts.
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/dist/"],
};
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "providers", testMatch: ["<rootDir>/test/providers/**/*.test.ts"] },
    { ...common, displayName: "lab", testMatch: ["<rootDir>/test/lab/**/*.test.ts"] },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"] },
  ],
};
