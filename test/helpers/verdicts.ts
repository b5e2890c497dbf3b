import { Diagnostic } from "./engine";

/** What the end-to-end tests assert of the pack's findings, and the names of its policies. */

export const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";
export const TASK = "ecs-task-role-no-agent-permissions";
export const DISTINCT = "ecs-task-and-execution-roles-distinct";
export const EVALUABLE = "ecs-role-permissions-evaluable";
export const LEAST = "ecs-execution-role-least-privilege";
export const SUFFICIENT = "ecs-execution-role-sufficient";
export const TRUST = "ecs-role-trust-policy";

/** What a test asserts about a finding: which policy, at which level, against which resource. */
export type Verdict = [policyName: string, enforcementLevel: string, urn: string];

/** Sorted, so that tests do not depend on the order policies run in. */
export function sorted(list: Verdict[]): Verdict[] {
    return [...list].sort((a, b) => a.join(" ").localeCompare(b.join(" ")));
}

export function verdicts(diagnostics: readonly Diagnostic[]): Verdict[] {
    return sorted(diagnostics.map((d): Verdict => [d.policyName, d.enforcementLevel, d.urn]));
}
