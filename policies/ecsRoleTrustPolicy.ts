import { StackValidationPolicy } from "@pulumi/policy";
import { exemptionsProperty } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, Finding, formatCount, listNames, roleUses } from "./format";
import { IAM_SIZE_QUOTAS } from "./iam/policyDocument";
import { docsUrl } from "./packageInfo";
import { anyMatches, parseActionPattern } from "./iam/actionPattern";
import { admitsAssume, ECS_TASKS_PRINCIPAL, TrustStatement } from "./iam/trustPolicy";
import { EcsStackModel, rolesInUse } from "./stack/ecsModel";
import { undeclaredRoleFindings } from "./roleDocuments";

const CONFUSED_DEPUTY_KEYS = ["aws:sourceaccount", "aws:sourcearn"];

/** ECS assumes a task's roles with sts:AssumeRole; SAML or web-identity trust does not let it. */
const ASSUME_ROLE = parseActionPattern("sts:AssumeRole");

function trustsEcsTasks(s: TrustStatement): boolean {
    const assumeRole = anyMatches(s.actions, ASSUME_ROLE.source) === (s.actionKind === "Action");
    return s.effect === "Allow" && !s.notPrincipal && assumeRole && s.principals.includes(ECS_TASKS_PRINCIPAL);
}

/** Roles of task definitions that ECS cannot assume, that lack the confused-deputy guard, or that others may assume. */
export function trustFindings(model: EcsStackModel): Finding[] {
    // A role outside the stack carries its trust policy there: externalRoles declares grants, never trust.
    const findings: Finding[] = (["execution", "task"] as const).flatMap((capacity) =>
        undeclaredRoleFindings(model, capacity, "ecs-role-trust-policy", "Judge its trust policy in the stack or account that defines it"),
    );
    for (const [role, byCapacity] of rolesInUse(model)) {
        const trust = role.trust;
        if (trust.kind !== "known") continue; // unknown during preview: the evaluability policy says so
        // Worked out only for a role with something to report: most roles of a stack have nothing.
        const report = (message: string) =>
            findings.push({ urn: role.resource.urn, message: `${roleUses(role, byCapacity)} ${message}`, ...about(role, [...byCapacity.values()].flat()) });
        if (trust.problems.length > 0) {
            report(`has a trust policy that cannot be read: ${listNames(trust.problems, 3)}. Fix its assumeRolePolicy.`);
            continue;
        }
        if (trust.size > IAM_SIZE_QUOTAS.roleTrustPolicy) {
            report(
                `has a trust policy of ${formatCount(trust.size)} characters (whitespace not counted), over IAM's default quota of ${formatCount(IAM_SIZE_QUOTAS.roleTrustPolicy)} for a role trust policy: unless the account's quota was raised, IAM will reject it and the deployment of the role will fail. Shorten it, or raise the quota and exempt this finding.`,
            );
        }
        const ecs = trust.statements.filter(trustsEcsTasks);
        if (ecs.length === 0) {
            report(
                `does not trust ecs-tasks.amazonaws.com, so ECS cannot assume it and the task will not start. Add an Allow of sts:AssumeRole for the service principal ecs-tasks.amazonaws.com to its assumeRolePolicy.`,
            );
        } else if (!ecs.some((s) => s.conditionKeys.some((k) => CONFUSED_DEPUTY_KEYS.includes(k)))) {
            report(
                `trusts ecs-tasks.amazonaws.com (${listNames(ecs.map((s) => s.path))}) with no aws:SourceAccount or aws:SourceArn condition against the confused deputy. Add one, such as StringEquals aws:SourceAccount: your account ID.`,
            );
        }
        for (const s of trust.statements) {
            if (s.effect !== "Allow" || !admitsAssume(s)) continue;
            const others = s.notPrincipal ? [`everyone but ${listNames(s.principals)}`] : s.principals.filter((p) => p !== ECS_TASKS_PRINCIPAL);
            if (others.length > 0) {
                report(
                    `lets ${listNames(others.map((p) => (p === "*" || p === "AWS:*" ? `any principal (${p})` : p)))} assume it (${s.path}). A role that ECS tasks use should trust ecs-tasks.amazonaws.com alone: give other principals a role of their own.`,
                );
            }
        }
    }
    return findings;
}

export const ecsRoleTrustPolicy: StackValidationPolicy = checkingConfig({
    name: "ecs-role-trust-policy",
    description: "An ECS role should trust only ecs-tasks.amazonaws.com, with a confused-deputy guard.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: [
        "Give the role this trust policy (assumeRolePolicy):",
        '  { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole",',
        '    "Condition": { "StringEquals": { "aws:SourceAccount": "<account id>" }, "ArnLike": { "aws:SourceArn": "arn:aws:ecs:<region>:<account id>:*" } } }] }',
        "A role that other principals (users, other services, other accounts) must assume should be a separate role.",
    ].join("\n"),
    url: docsUrl("ecs-role-trust-policy"),
    tags: ["ecs", "iam", "trust"],
    configSchema: { properties: { exemptions: exemptionsProperty } },
    validateStack: judgeEcsStack(() => ({}), trustFindings),
});
