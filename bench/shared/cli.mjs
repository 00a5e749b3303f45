// Command-line helpers shared by the benchmarks.
import { parseArgs } from 'node:util';

/**
 * An integer-option parser that exits with code 2 and the usage text when a value is not an
 * integer in [min, max] (a benchmark with a typo in its options must not measure something else).
 * @param {string} usage
 * @returns {(name: string, raw: string | undefined, min: number, max: number) => number}
 */
export function intArgParser(usage) {
  return (name, raw, min, max) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      console.error(`--${name} must be an integer in [${min}, ${max}], got "${raw}"\n${usage}`);
      process.exit(2);
    }
    return n;
  };
}

/**
 * Parses a benchmark's options (`--help` is added and prints the usage; an unknown option exits 2
 * with the usage), and returns them with the
 * integer-option parser for the same usage text.
 * @param {string} usage
 * @param {import('node:util').ParseArgsConfig['options']} options
 */
export function parseBenchArgs(usage, options) {
  let values;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', default: false } } }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return { args: values, intArg: intArgParser(usage) };
}
