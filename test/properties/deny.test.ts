import { strict as assert } from "assert";
import fc from "fast-check";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions } from "../../policies/ecsTaskRoleNoAgentPermissions";
import { TASK_ROLE_FORBIDDEN as AGENT_LEVEL_ACTIONS } from "../helpers/independent";
import {
    allowDressingArb,
    applyDisguise,
    Capacity,
    Catalog,
    certainDenyDressingArb,
    disguiseArb,
    elementOf,
    harmlessDocumentsArb,
    harmlessPatternArb,
    Linking,
    linkingArb,
    loadCatalog,
    phaseArb,
    place,
    PlacedDocument,
    relink,
    Slot,
    slotArb,
    statement,
    StatementJson,
    uncertainDenyDressingArb,
    withStatements,
} from "../helpers/arbitraries";
import { correctStack, Phase, runStackPolicy } from "../helpers/stacks";

/**
 * Deny: a Deny takes a grant away only when it certainly applies (no Condition, `Resource: "*"`,
 * no NotResource), wherever it sits among the role's documents and however its actions are
 * written; any other Deny leaves the grant to be reported.
 * Runs: 200 per role and kind of Deny (fast-check's random seed).
 */
const RUNS = 200;

const POLICY = { execution: ecsExecutionRoleOnlyEcrSecretsLogs, task: ecsTaskRoleNoAgentPermissions } as const;

interface DenyCase {
    readonly phase: Phase;
    readonly linking: Linking;
    readonly target: string;
    /** The Allow: a disguise of the target. */
    readonly allow: { readonly statement: StatementJson; readonly slot: Slot };
    /** The Deny: covers everything the Allow matches, by a further generalisation or by NotAction. */
    readonly deny: { readonly statement: StatementJson; readonly slot: Slot };
    readonly documents: readonly PlacedDocument[];
}

function denyCaseArb(c: Catalog, capacity: Capacity, certain: boolean): fc.Arbitrary<DenyCase> {
    const targetArb = capacity === "execution" ? fc.oneof(elementOf(c.execNearMisses), elementOf(c.execForbidden)) : fc.constantFrom(...AGENT_LEVEL_ACTIONS);
    return fc
        .record({
            phase: phaseArb,
            linking: linkingArb,
            target: targetArb,
            allowDisguise: disguiseArb,
            allowDressing: allowDressingArb,
            allowSlot: slotArb,
            byNotAction: fc.boolean(),
            denyDisguise: disguiseArb,
            others: fc.array(fc.tuple(elementOf(c.all), disguiseArb), { minLength: 1, maxLength: 4 }),
            denyDressing: certain ? certainDenyDressingArb : uncertainDenyDressingArb,
            denySlot: slotArb,
            bare: fc.boolean(),
            documents: harmlessDocumentsArb(c, capacity),
        })
        .map((r): DenyCase => {
            const allowed = applyDisguise(r.target, r.allowDisguise, { keepColon: true });
            const granted = new Set(c.expand(allowed).map((a) => a.toLowerCase()));
            let deny: StatementJson;
            if (r.byNotAction) {
                // Deny everything except actions the Allow does not reach.
                const missesGrant = (p: string) => !c.someMatch(p, (a) => granted.has(a.toLowerCase()));
                const others = r.others
                    .filter(([a]) => !granted.has(a.toLowerCase()))
                    .map(([a, d]) => applyDisguise(a, d, { keepColon: true, keep: missesGrant }));
                deny = statement("Deny", "NotAction", others.length > 0 ? others : ["nosuchservice:NoSuchAction"], r.denyDressing, r.bare);
            } else {
                // Generalising the Allow's own pattern again covers all it matches.
                deny = statement("Deny", "Action", [applyDisguise(allowed, r.denyDisguise, { keepColon: true })], r.denyDressing, r.bare);
            }
            return {
                phase: r.phase,
                linking: r.linking,
                target: r.target,
                allow: { statement: statement("Allow", "Action", [allowed], r.allowDressing, r.bare), slot: r.allowSlot },
                deny: { statement: deny, slot: r.denySlot },
                documents: r.documents,
            };
        });
}

function build(capacity: Capacity, d: DenyCase) {
    const { s, executionRole, taskRole } = correctStack(d.phase);
    const { documents, indexes } = withStatements(d.documents, [d.allow, d.deny]);
    const [role, other] = capacity === "execution" ? [executionRole, taskRole] : [taskRole, executionRole];
    const urns = place(s, role, "doc", documents, other);
    return { resources: relink(s.resources, d.phase, d.linking), grantor: urns[indexes[0]] };
}

describe("property: a Deny subtracts exactly when it certainly applies", () => {
    let c: Catalog;
    before(async () => {
        c = await loadCatalog();
    });

    for (const capacity of ["execution", "task"] as const) {
        const policy = POLICY[capacity];
        it(`${policy.name}: an unconditional Deny on every resource that covers a disguised grant, by pattern or NotAction, in any document, removes it (numRuns: ${RUNS})`, async () => {
            await fc.assert(
                fc.asyncProperty(denyCaseArb(c, capacity, true), async (d) => {
                    const { resources } = build(capacity, d);
                    assert.deepEqual(await runStackPolicy(policy, resources), []);
                }),
                { numRuns: RUNS },
            );
        });

        it(`${policy.name}: a conditional, resource-scoped or NotResource Deny that covers the grant does not remove it (numRuns: ${RUNS})`, async () => {
            await fc.assert(
                fc.asyncProperty(denyCaseArb(c, capacity, false), async (d) => {
                    const { resources, grantor } = build(capacity, d);
                    const reported = await runStackPolicy(policy, resources);
                    assert.deepEqual([...new Set(reported.map((r) => r.urn))], [grantor]);
                }),
                { numRuns: RUNS },
            );
        });
    }

    it(`ecs-execution-role-only-ecr-secrets-logs: any Allow behind an unconditional Deny NotAction of allowed patterns is compliant (numRuns: ${RUNS})`, async () => {
        const arb = fc.record({
            phase: phaseArb,
            linking: linkingArb,
            grant: fc.tuple(elementOf(c.all), disguiseArb).map(([a, d]) => applyDisguise(a, d, { keepColon: true })),
            allowDressing: allowDressingArb,
            allowSlot: slotArb,
            guard: fc.array(harmlessPatternArb(c, "execution"), { minLength: 1, maxLength: 6 }),
            guardDressing: certainDenyDressingArb,
            guardSlot: slotArb,
            documents: harmlessDocumentsArb(c, "execution"),
        });
        await fc.assert(
            fc.asyncProperty(arb, async (g) => {
                const { s, executionRole, taskRole } = correctStack(g.phase);
                const { documents } = withStatements(g.documents, [
                    { slot: g.allowSlot, statement: statement("Allow", "Action", [g.grant], g.allowDressing) },
                    { slot: g.guardSlot, statement: statement("Deny", "NotAction", g.guard, g.guardDressing) },
                ]);
                place(s, executionRole, "doc", documents, taskRole);
                assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, relink(s.resources, g.phase, g.linking)), []);
            }),
            { numRuns: RUNS },
        );
    });

    it(`ecs-task-role-no-agent-permissions: any Allow behind unconditional Denies that cover every agent action, however written, is compliant (numRuns: ${RUNS})`, async () => {
        const arb = fc.record({
            phase: phaseArb,
            linking: linkingArb,
            grant: fc.tuple(elementOf(c.all), disguiseArb).map(([a, d]) => applyDisguise(a, d, { keepColon: true })),
            allowDressing: allowDressingArb,
            allowSlot: slotArb,
            guards: fc.array(fc.tuple(disguiseArb, certainDenyDressingArb, slotArb), {
                minLength: AGENT_LEVEL_ACTIONS.length,
                maxLength: AGENT_LEVEL_ACTIONS.length,
            }),
            documents: harmlessDocumentsArb(c, "task"),
        });
        await fc.assert(
            fc.asyncProperty(arb, async (g) => {
                const { s, executionRole, taskRole } = correctStack(g.phase);
                const guards = AGENT_LEVEL_ACTIONS.map((a, i) => {
                    const [disguise, dressing, slot] = g.guards[i];
                    return { slot, statement: statement("Deny", "Action", [applyDisguise(a, disguise, { keepColon: true })], dressing, true) };
                });
                const { documents } = withStatements(g.documents, [
                    { slot: g.allowSlot, statement: statement("Allow", "Action", [g.grant], g.allowDressing) },
                    ...guards,
                ]);
                place(s, taskRole, "doc", documents, executionRole);
                assert.deepEqual(await runStackPolicy(ecsTaskRoleNoAgentPermissions, relink(s.resources, g.phase, g.linking)), []);
            }),
            { numRuns: RUNS },
        );
    });
});
