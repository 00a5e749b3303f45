import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cvrpToProblem, parseTsplibCvrp } from '../../../src/routing/cli/tsplib.parser.js';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { violations } from './solver.fixture.js';

const GOOD = `NAME : tiny
TYPE : CVRP
DIMENSION : 4
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
4 -3 -4
DEMAND_SECTION
1 0
2 4
3 5
4 6
DEPOT_SECTION
1
-1
EOF
`;

describe('TSPLIB CVRP parser', () => {
  it('reads a good file and solves it', () => {
    const c = parseTsplibCvrp(GOOD);
    expect(c).toMatchObject({ name: 'tiny', dimension: 4, capacity: 10, depot: 0, demands: [0, 4, 5, 6] });
    const { problem, nodeOfStop } = cvrpToProblem(c, false);
    expect(nodeOfStop).toEqual([1, 2, 3]);
    expect(problem.matrices.distance[0 * 4 + 1]).toBe(5);
    const sol = solveVrp(problem, { seed: 1, timeLimitMs: 10_000, maxIterations: 100 });
    expect(violations(problem, sol)).toEqual([]);
    // 2 and 3 share a truck out and back along one line (20), 4 alone (10)
    expect(sol.cost).toBeCloseTo(30, 9);
  });

  it('rounds distances with --round (TSPLIB nint)', () => {
    const c = parseTsplibCvrp(GOOD.replace('2 3 4', '2 3 4.4'));
    expect(cvrpToProblem(c, true).problem.matrices.distance[1]).toBe(5);
    expect(cvrpToProblem(c, false).problem.matrices.distance[1]).toBeCloseTo(Math.hypot(3, 4.4), 9);
  });

  it('names the problem in a bad file', () => {
    expect(() => parseTsplibCvrp(GOOD.replace(/DEMAND_SECTION[\s\S]*DEPOT/, 'DEPOT'))).toThrow(/missing DEMAND_SECTION/);
    expect(() => parseTsplibCvrp(GOOD.replace('DIMENSION : 4', 'DIMENSION : 3'))).toThrow(/line 10: node 4 out of range 1\.\.3 \(DIMENSION 3\)/);
    expect(() => parseTsplibCvrp(GOOD.replace('DIMENSION : 4', 'DIMENSION : 5'))).toThrow(/NODE_COORD_SECTION has no line for node 5/);
    expect(() => parseTsplibCvrp(GOOD.replace('CAPACITY : 10\n', ''))).toThrow(/missing CAPACITY/);
    expect(() => parseTsplibCvrp(GOOD.replace('2 3 4', '2 3 x'))).toThrow(/line 8: expected numbers/);
    expect(() => parseTsplibCvrp(GOOD.replace('EUC_2D', 'GEO'))).toThrow(/line 4: EDGE_WEIGHT_TYPE must be EUC_2D/);
  });
});

const CMT1 = fileURLToPath(new URL('./fixtures/CMT1.vrp', import.meta.url));

describe('CMT1 benchmark instance', () => {
  it('lands within 1 % of the best-known cost with a fixed iteration budget', () => {
    const { problem } = cvrpToProblem(parseTsplibCvrp(readFileSync(CMT1, 'utf8')), false);
    const sol = solveVrp(problem, { seed: 1, timeLimitMs: 600_000, maxIterations: 5_000 });
    expect(sol.unassigned).toEqual([]);
    expect(violations(problem, sol)).toEqual([]);
    expect(sol.cost).toBeLessThan(524.61 * 1.01);
  });
});
