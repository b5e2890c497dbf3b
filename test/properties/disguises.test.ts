import { strict as assert } from "assert";
import fc from "fast-check";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions } from "../../policies/ecsTaskRoleNoAgentPermissions";
import { TASK_ROLE_FORBIDDEN as AGENT_LEVEL_ACTIONS, EXECUTION_ROLE_ALLOWED as EXECUTION_ROLE_ACTIONS } from "../helpers/independent";
import {
    AGENT_LOWER,
    allowDressingArb,
    applyDisguise,
    Capacity,
    Catalog,
    certainDenyDressingArb,
    Disguise,
    disguiseArb,
    elementOf,
    EXEC_ALLOWED_LOWER,
    globMatches,
    harmlessDocumentsArb,
    Linking,
    linkingArb,
    loadCatalog,
    MANAGED_DOORS,
    ManagedCandidate,
    managedCandidates,
    ManagedDoor,
    managedPolicyArn,
    PARTITIONS,
    phaseArb,
    place,
    PlacedDocument,
    PlacedManaged,
    relink,
    Slot,
    slotArb,
    statement,
    StatementJson,
    uncertainDenyDressingArb,
    withStatements,
} from "../helpers/arbitraries";
import { correctStack, Phase, PHASES, runStackPolicy } from "../helpers/stacks";

/**
 * Disguises: however a forbidden action is written (case, `?`, `*` and `**` anywhere, NotAction
 * that leaves it out, an AWS-managed policy in any partition), wherever it sits (among harmless
 * statements, documents and doors, JSON string or object, pretty or compact, Statement object or
 * list, Version 2008 or 2012, conditional or narrow Allow), in a preview or after an update
 * (linked by dependencies, by values only, or by the task role's bare name), the right policy
 * reports it against the resource that grants it, and nothing else.
 * Runs: 300 per role (fast-check's random seed; a failure prints the seed and the shrunk case).
 */
const RUNS = 300;

const POLICY = { execution: ecsExecutionRoleOnlyEcrSecretsLogs, task: ecsTaskRoleNoAgentPermissions } as const;

/** How the forbidden action is granted. */
type Grant =
    /** An Allow naming a disguise of it, among harmless patterns. */
    | { readonly kind: "Action"; readonly patterns: readonly string[]; readonly dressing: StatementJson; readonly slot: Slot }
    /** An Allow with NotAction listing only other actions. */
    | { readonly kind: "NotAction"; readonly others: readonly string[]; readonly dressing: StatementJson; readonly slot: Slot }
    /** An AWS-managed policy that grants it, by ARN. */
    | { readonly kind: "managed"; readonly arn: string; readonly door: ManagedDoor };

interface GrantCase {
    readonly phase: Phase;
    readonly linking: Linking;
    readonly target: string;
    readonly grant: Grant;
    /** Harmless documents around it. */
    readonly documents: readonly PlacedDocument[];
    /** A certain `Deny NotAction [target]`: takes away everything else, so that only the target can be reported. */
    readonly isolate: { readonly slot: Slot; readonly statement: StatementJson } | undefined;
    /** A Deny of the target that may not apply (conditional, narrow, NotResource): it must not hide the grant. */
    readonly noise: { readonly slot: Slot; readonly statement: StatementJson } | undefined;
}

function grantCaseArb(c: Catalog, capacity: Capacity, candidates: readonly ManagedCandidate[]): fc.Arbitrary<GrantCase> {
    const targetArb =
        capacity === "execution"
            ? fc.oneof({ arbitrary: elementOf(c.execNearMisses), weight: 1 }, { arbitrary: elementOf(c.execForbidden), weight: 2 })
            : fc.constantFrom(...AGENT_LEVEL_ACTIONS);
    const raw = fc.record({
        phase: phaseArb,
        linking: linkingArb,
        target: targetArb,
        how: fc.constantFrom("Action", "Action", "NotAction", "managed"),
        disguise: disguiseArb,
        /** Let a star cover the colon too: IAM rejects such a pattern, and the pack must still not pass it. */
        coverColon: fc.boolean(),
        companions: fc.array(fc.tuple(elementOf(capacity === "execution" ? EXECUTION_ROLE_ACTIONS : c.taskAllowed), disguiseArb), { maxLength: 3 }),
        companionsFirst: fc.nat(3),
        others: fc.array(fc.tuple(elementOf(c.all), disguiseArb), { minLength: 1, maxLength: 4 }),
        dressing: allowDressingArb,
        bare: fc.boolean(),
        slot: slotArb,
        managedPick: fc.nat(20),
        managedDoor: fc.constantFrom(...MANAGED_DOORS),
        partition: fc.constantFrom(...PARTITIONS),
        documents: harmlessDocumentsArb(c, capacity),
        isolate: fc.option(fc.record({ slot: slotArb, dressing: certainDenyDressingArb }), { nil: undefined }),
        noise: fc.option(fc.record({ slot: slotArb, dressing: uncertainDenyDressingArb, disguise: disguiseArb }), { nil: undefined }),
    });
    return raw.map((r): GrantCase => {
        const harmless = capacity === "execution" ? c.onlyExecAllowed : c.noAgentAction;
        const missesTarget = (p: string) => !globMatches(p, r.target);
        let grant: Grant;
        if (r.how === "managed") {
            const granting = candidates.filter((m) => m.grants.has(r.target.toLowerCase()));
            const m = granting[r.managedPick % granting.length];
            grant = { kind: "managed", arn: managedPolicyArn(m.name, m.path, r.partition), door: r.managedDoor };
        } else if (r.how === "NotAction") {
            const others = r.others
                .filter(([a]) => a.toLowerCase() !== r.target.toLowerCase())
                .map(([a, d]) => applyDisguise(a, d, { keepColon: true, keep: missesTarget }));
            grant = {
                kind: "NotAction",
                others: others.length > 0 ? others : [r.target.toLowerCase() === "iam:passrole" ? "sts:AssumeRole" : "iam:PassRole"],
                dressing: r.dressing,
                slot: r.slot,
            };
        } else {
            const disguised = applyDisguise(r.target, r.disguise, { keepColon: !r.coverColon });
            const companions = r.companions.map(([a, d]) => applyDisguise(a, d, { keepColon: true, keep: harmless }));
            const at = r.companionsFirst % (companions.length + 1);
            grant = { kind: "Action", patterns: [...companions.slice(0, at), disguised, ...companions.slice(at)], dressing: r.dressing, slot: r.slot };
        }
        return {
            phase: r.phase,
            linking: r.linking,
            target: r.target,
            grant,
            documents: r.documents,
            isolate: r.isolate && { slot: r.isolate.slot, statement: statement("Deny", "NotAction", [r.target], r.isolate.dressing) },
            noise: r.noise && {
                slot: r.noise.slot,
                statement: statement("Deny", "Action", [applyDisguise(r.target, r.noise.disguise, { keepColon: true })], r.noise.dressing),
            },
        };
    });
}

/** Builds the stack the case describes; returns it and the URN the finding must name. */
function build(capacity: Capacity, g: GrantCase) {
    const { s, executionRole, taskRole } = correctStack(g.phase);
    const [role, other] = capacity === "execution" ? [executionRole, taskRole] : [taskRole, executionRole];
    const inserts: { slot: Slot; statement: StatementJson }[] = [];
    const grant = g.grant;
    if (grant.kind === "Action") inserts.push({ slot: grant.slot, statement: statement("Allow", "Action", grant.patterns, grant.dressing, true) });
    if (grant.kind === "NotAction") inserts.push({ slot: grant.slot, statement: statement("Allow", "NotAction", grant.others, grant.dressing, true) });
    if (g.isolate) inserts.push(g.isolate);
    if (g.noise) inserts.push(g.noise);
    const { documents, indexes } = withStatements(g.documents, inserts);
    const managed: PlacedManaged[] = grant.kind === "managed" ? [{ door: grant.door, arn: grant.arn }] : [];
    const urns = place(s, role, "grant", [...documents, ...managed], other);
    const grantor = grant.kind === "managed" ? urns[urns.length - 1] : urns[indexes[0]];
    return { resources: relink(s.resources, g.phase, g.linking), grantor };
}

describe("property: no disguise gets a forbidden action past the pack", () => {
    let c: Catalog;
    let candidates: ManagedCandidate[];
    before(async () => {
        c = await loadCatalog();
        candidates = managedCandidates(c);
        for (const a of [...EXECUTION_ROLE_ACTIONS, ...AGENT_LEVEL_ACTIONS]) {
            assert.ok(c.expand(a).length === 1, `${a} is in the catalog`);
        }
    });

    for (const capacity of ["execution", "task"] as const) {
        const forbidden = capacity === "execution" ? "any catalog action outside the execution allowlist" : "any agent-level action";
        it(`${POLICY[capacity].name} reports ${forbidden}, disguised and split across statements, documents and doors, against the resource that grants it (numRuns: ${RUNS})`, async () => {
            await fc.assert(
                fc.asyncProperty(grantCaseArb(c, capacity, candidates), async (g) => {
                    const { resources, grantor } = build(capacity, g);
                    const reported = await runStackPolicy(POLICY[capacity], resources);
                    assert.ok(reported.length > 0, `${g.target} was not reported`);
                    assert.deepEqual([...new Set(reported.map((r) => r.urn))], [grantor]);
                }),
                { numRuns: RUNS },
            );
        });
    }

    it("the disguises match what they disguise (a check of the generator against the reference matcher, numRuns: 500)", () => {
        fc.assert(
            fc.property(elementOf(c.all), disguiseArb, fc.boolean(), (action: string, d: Disguise, keepColon: boolean) => {
                const pattern = applyDisguise(action, d, { keepColon });
                assert.ok(globMatches(pattern, action), `${pattern} does not match ${action}`);
            }),
            { numRuns: 500 },
        );
    });

    it("judges every AWS-managed policy in the table as the reference oracle does, through every door, in both phases and for both roles (exhaustive)", async () => {
        for (const m of candidates) {
            const grants = [...m.grants];
            const expected: Record<Capacity, boolean> = {
                execution: m.unrecognised.length > 0 || grants.some((a) => !EXEC_ALLOWED_LOWER.has(a)),
                task: grants.some((a) => AGENT_LOWER.has(a)),
            };
            for (const phase of PHASES) {
                for (const door of MANAGED_DOORS) {
                    for (const capacity of ["execution", "task"] as const) {
                        const { s, executionRole, taskRole } = correctStack(phase);
                        const [urn] = place(s, capacity === "execution" ? executionRole : taskRole, "managed", [
                            { door, arn: managedPolicyArn(m.name, m.path) },
                        ]);
                        const reported = await runStackPolicy(POLICY[capacity], s.resources);
                        assert.deepEqual(
                            [...new Set(reported.map((r) => r.urn))],
                            expected[capacity] ? [urn] : [],
                            `${m.name} through ${door} on the ${capacity} role in ${phase}`,
                        );
                    }
                }
            }
        }
    });
});
