import { StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { ConfiguredPolicy, unknownConfigFindings } from "./config";
import { givenConfig, reportFindings } from "./exemptions";
import { Finding } from "./format";
import { EcsStack, EcsStackModel, ModelOptions, readEcsStack } from "./stack/ecsModel";

/** What a policy finds in the model, given its config. */
export type Judge<C> = (model: EcsStackModel, config: C) => readonly Finding[] | Promise<readonly Finding[]>;

/**
 * The validateStack of a policy that judges the ECS model: it reads its config and the stack,
 * lets go of the SDK's resources, then judges the model and reports what it found.
 *
 * Why it lets go first: `@pulumi/policy` deserialises the whole stack afresh for every stack
 * policy (about 90 MB for 50,000 resources), and that copy stays reachable for as long as the
 * policy holds its `args`. Whatever the analysis allocates meanwhile makes the young generation
 * promote what is still young of that copy, so the old generation fills with it until a full
 * collection, which a stack this size gets about once per AnalyzeStack. So the policy reads
 * synchronously what it needs (its config, and the resources the model reads, by reference), and
 * awaits once before anything else: by then the SDK has suspended, holding none of that call's
 * resources, and the rest of the copy is garbage.
 */
export function judgeEcsStack<C extends { readonly externalRoles?: ModelOptions["externalRoles"] }>(
    readConfig: (given: unknown) => C,
    judge: Judge<NoInfer<C>>,
): StackValidation {
    // Not an async function itself: an async function keeps its parameters, args among them, for as long as it runs.
    return (args, reportViolation) => {
        const given = givenConfig(args);
        const config = readConfig(given);
        const stack = readEcsStack(args.resources, { externalRoles: config.externalRoles });
        return judgeLater(stack, config, judge, (findings) => reportFindings(findings, given, reportViolation, true));
    };
}

async function judgeLater<C>(stack: EcsStack, config: C, judge: Judge<C>, report: (findings: readonly Finding[]) => void): Promise<void> {
    await Promise.resolve();
    report(await judge(stack.model(), config));
}

/** The pack's policies, as each registers itself: whose config properties are whose. */
const registered: ConfiguredPolicy[] = [];

/**
 * The policy, reporting once per stack each config property it does not take (see
 * `unknownConfigFindings`), with a hint from the config properties of every policy registered so.
 * Every policy of the pack is; the library entry loads them all.
 */
export function checkingConfig<P extends StackValidationPolicy>(policy: P): P {
    registered.push(policy);
    const validateStack = policy.validateStack;
    return {
        ...policy,
        validateStack: (args, reportViolation) => {
            reportFindings(unknownConfigFindings(policy, givenConfig(args), registered), undefined, reportViolation);
            return validateStack(args, reportViolation);
        },
    };
}
