import { strict as assert } from "assert";
import fc from "fast-check";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions } from "../../policies/ecsTaskRoleNoAgentPermissions";
import {
    Catalog,
    certainDenyDressingArb,
    elementOf,
    harmlessDocumentsArb,
    harmlessPatternArb,
    linkingArb,
    loadCatalog,
    phaseArb,
    place,
    relink,
    slotArb,
    statement,
    uncertainDenyDressingArb,
    withStatements,
} from "../helpers/arbitraries";
import { correctStack, runStackPolicy } from "../helpers/stacks";

/**
 * Allowed stays allowed: no false alarm for any disguise of what a role may hold, written in any
 * encoding and reaching the role through any door, with Denies of anything sprinkled in.
 * Runs: 300 per role (fast-check's random seed).
 */
const RUNS = 300;

describe("property: what a role may hold stays compliant, however it is written", () => {
    let c: Catalog;
    before(async () => {
        c = await loadCatalog();
    });

    it(`ecs-execution-role-only-ecr-secrets-logs passes any disguise that matches only allowed actions (random case, ? and * that stay within the allowlist, checked against the catalog) (numRuns: ${RUNS})`, async () => {
        const arb = fc.record({
            phase: phaseArb,
            linking: linkingArb,
            documents: harmlessDocumentsArb(c, "execution", { maxDocuments: 4, maxStatements: 3 }),
            denies: fc.array(fc.tuple(elementOf(c.all), fc.oneof(certainDenyDressingArb, uncertainDenyDressingArb), slotArb), { maxLength: 2 }),
        });
        await fc.assert(
            fc.asyncProperty(arb, async (g) => {
                for (const d of g.documents)
                    for (const s of d.statements) for (const p of [s.Action as string | string[]].flat()) assert.ok(c.onlyExecAllowed(p), p);
                const { s, executionRole, taskRole } = correctStack(g.phase);
                const { documents } = withStatements(
                    g.documents,
                    g.denies.map(([action, dressing, slot]) => ({ slot, statement: statement("Deny", "Action", [action], dressing) })),
                );
                place(s, executionRole, "allowed", documents, taskRole);
                assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, relink(s.resources, g.phase, g.linking)), []);
            }),
            { numRuns: RUNS },
        );
    });

    it(`ecs-task-role-no-agent-permissions passes any catalog action that is not agent-level, disguised without reaching an agent action (numRuns: ${RUNS})`, async () => {
        const arb = fc.record({
            phase: phaseArb,
            linking: linkingArb,
            documents: harmlessDocumentsArb(c, "task", { maxDocuments: 4, maxStatements: 3 }),
            denies: fc.array(fc.tuple(harmlessPatternArb(c, "task"), fc.oneof(certainDenyDressingArb, uncertainDenyDressingArb), slotArb), { maxLength: 2 }),
        });
        await fc.assert(
            fc.asyncProperty(arb, async (g) => {
                for (const d of g.documents)
                    for (const s of d.statements) for (const p of [s.Action as string | string[]].flat()) assert.ok(c.noAgentAction(p), p);
                const { s, executionRole, taskRole } = correctStack(g.phase);
                const { documents } = withStatements(
                    g.documents,
                    g.denies.map(([action, dressing, slot]) => ({ slot, statement: statement("Deny", "Action", [action], dressing) })),
                );
                place(s, taskRole, "allowed", documents, executionRole);
                assert.deepEqual(await runStackPolicy(ecsTaskRoleNoAgentPermissions, relink(s.resources, g.phase, g.linking)), []);
            }),
            { numRuns: RUNS },
        );
    });
});
