// The services the tests talk to: those `npm test` started (it exports TEST_INFLUX_URL and
// TEST_DATABASE_URL), else the dev services of the README. This is the one place the test
// suites' environment is read; suites receive it through vitest's `inject()`.
export function testServices() {
  const env = process.env;
  return {
    influxUrl: (env.TEST_INFLUX_URL || 'http://127.0.0.1:18086').replace(/\/+$/, ''),
    databaseUrl: env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:15432/postgres',
    // pino level for gateways started inside tests (`GW_TEST_LOG=debug` to see them).
    gatewayTestLog: env.GW_TEST_LOG || 'silent',
  };
}
