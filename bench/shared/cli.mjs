// Command-line helpers shared by the benchmarks.

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
