import { StackValidationPolicy } from "@pulumi/policy";
import { actionListProperty, ExternalRoles, externalRolesProperty, readConfig, strings } from "./config";
import { exemptionsProperty, OR_EXEMPT } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, capitalise, describeGrant, exampleActions, Finding, formatCount, listNames, roleUse, statementLabel } from "./format";
import { docsUrl } from "./packageInfo";
import { parseActionPattern } from "./iam/actionPattern";
import { covers, exactArn, namesOneArn, NeededArn } from "./iam/arnPattern";
import { EXECUTION_ROLE_ACTIONS } from "./iam/ecsActions";
import { grantsOutside } from "./iam/grants";
import { isResourcePattern, Statement } from "./iam/policyDocument";
import { curesNotCounted, documentFindings, executionNeeds, judgedDocuments, takeAway, undeclaredRoleFindings } from "./roleDocuments";
import { ExecutionNeed } from "./stack/containers";
import { EcsStackModel, rolesUsedAs } from "./stack/ecsModel";
import { SUGGEST_POINTER } from "./suggest/pointer";

export interface EcsExecutionRoleOnlyEcrSecretsLogsConfig {
    /** More actions or patterns an organisation allows on execution roles. */
    additionalAllowedActions: string[];
    /** Roles defined outside the stack, with what an organisation declares they are granted. */
    externalRoles: ExternalRoles;
}

const defaults: EcsExecutionRoleOnlyEcrSecretsLogsConfig = { additionalAllowedActions: [], externalRoles: {} };

/** Every statement that gives an execution role an action outside ECR pull, log delivery and secret injection. */
export async function executionRoleFindings(model: EcsStackModel, config: EcsExecutionRoleOnlyEcrSecretsLogsConfig = defaults): Promise<Finding[]> {
    const allowed = [...EXECUTION_ROLE_ACTIONS, ...strings(config.additionalAllowedActions)].map(parseActionPattern);
    const findings: Finding[] = undeclaredRoleFindings(model, "execution", "ecs-execution-role-only-ecr-secrets-logs");
    for (const { role, taskDefinitions } of rolesUsedAs(model, "execution")) {
        findings.push(...documentFindings(role, "execution", taskDefinitions));
        const needs = executionNeeds(taskDefinitions);
        const alsoAllowed = fileReadsScopedToNeeds(needs);
        for (const { documents, options } of judgedDocuments(role)) {
            for (const grant of await grantsOutside(documents, allowed, { ...options, alsoAllowed })) {
                const { source, statement } = grant;
                const what: string[] = [];
                if (statement.actionKind === "NotAction") {
                    const n = formatCount(grant.actions.length);
                    what.push(
                        `with NotAction grants ${n} actions beyond ECR image pull, log delivery and secret injection, such as ${listNames(exampleActions(grant.actions), 4)}`,
                    );
                } else if (grant.byPattern.length > 0) {
                    what.push(
                        `grants ${listNames(
                            grant.byPattern.map((g) => describeGrant(g.pattern, g.actions)),
                            5,
                        )} beyond ECR image pull, log delivery and secret injection`,
                    );
                }
                if (grant.unrecognised.length > 0) {
                    what.push(`grants ${listNames(grant.unrecognised)}, which match${grant.unrecognised.length === 1 ? "es" : ""} no known IAM action`);
                }
                const them = grant.actions.length + grant.unrecognised.length === 1 ? "it" : "them";
                const elsewhere = source.resourceBased === undefined ? " (what the application itself calls belongs on the task role)" : "";
                findings.push({
                    urn: source.grantor.urn,
                    ...about(role, taskDefinitions),
                    message:
                        `${roleUse(role, "execution", taskDefinitions)}, and ${source.label}, ${statementLabel(statement)}, ${what.join("; it also ")}. ` +
                        `${filePatternHint(statement, grant.actions, needs)}${capitalise(takeAway(source, "execution", them))}${elsewhere}${OR_EXEMPT}` +
                        curesNotCounted(role, grant.actions.length > 0 ? grant.actions : grant.unrecognised) +
                        ` ${SUGGEST_POINTER}`,
                });
            }
        }
    }
    return findings;
}

const FILE_READS = new Set(["s3:getobject", "s3:getbucketlocation"]);

/**
 * Why S3 reads scoped to the very files a container names were not accepted: the file's key holds
 * `*` or `?`, which IAM reads as wildcards in a Resource.
 */
function filePatternHint(statement: Statement, actions: readonly string[], needs: readonly ExecutionNeed[] | undefined): string {
    if (statement.resources.kind !== "Resource" || !actions.some((a) => FILE_READS.has(a.toLowerCase()))) return "";
    const files = new Set((needs ?? []).flatMap((n) => (n.kind === "s3File" && n.arn !== undefined && isResourcePattern(n.arn.text) ? [n.arn.text] : [])));
    const named = statement.resources.values.filter((r) => files.has(r));
    if (named.length === 0) return "";
    return `IAM reads * and ? in a Resource as wildcards, even where an S3 key holds them, so ${listNames(named, 3)} ${named.length === 1 ? "is a pattern" : "are patterns"}, not just the task's own ${named.length === 1 ? "file" : "files"}. `;
}

/**
 * S3 reads that environment files (and FireLens config files) need are allowed on the execution
 * role, in a statement that names exactly those objects and buckets and nothing else: each
 * Resource entry names one ARN (no wildcard, no policy variable) and IAM matches it to one of the
 * files. IAM reads `*` and `?` in a Resource as wildcards, and an S3 key may hold either, so a
 * Resource holding one is a pattern and never names exactly the task's own files, even when a
 * container names a file by that very ARN. While the containers are not known (a preview), reads
 * scoped to named S3 objects (known, without wildcards) get the benefit of the doubt until the
 * update judges them; the evaluability policy says so.
 */
function fileReadsScopedToNeeds(needs: readonly ExecutionNeed[] | undefined): (statement: Statement) => ((action: string) => boolean) | undefined {
    if (needs === undefined) {
        return (statement) =>
            statement.resources.kind === "Resource" &&
            !statement.unknownParts.includes("Resource") &&
            statement.resources.values.length > 0 &&
            statement.resources.values.every((r) => exactArn(r)?.service.toLowerCase() === "s3" && namesOneArn(r, statement.policyVariables))
                ? (action) => FILE_READS.has(action.toLowerCase())
                : undefined;
    }
    const scopes = new Map<string, NeededArn[]>();
    for (const need of needs) {
        if (need.kind !== "s3File" || need.arn === undefined || isResourcePattern(need.arn.text)) continue;
        for (const action of need.actions) {
            const list = scopes.get(action.toLowerCase()) ?? [];
            list.push(need.arn);
            scopes.set(action.toLowerCase(), list);
        }
    }
    if (scopes.size === 0) return () => undefined;
    const anyScope = [...scopes.values()].flat();
    return (statement) => {
        const { kind, values } = statement.resources;
        const variables = statement.policyVariables;
        const names = (r: string, files: readonly NeededArn[]) => namesOneArn(r, variables) && files.some((file) => covers(r, file, variables));
        // A Resource entry not known yet may be anything: only a Resource known whole names the files.
        if (kind !== "Resource" || statement.unknownParts.includes("Resource") || values.length === 0 || !values.every((r) => names(r, anyScope)))
            return undefined;
        return (action) => {
            const scope = scopes.get(action.toLowerCase());
            return scope !== undefined && values.every((r) => names(r, scope));
        };
    };
}

export const ecsExecutionRoleOnlyEcrSecretsLogs: StackValidationPolicy = checkingConfig({
    name: "ecs-execution-role-only-ecr-secrets-logs",
    description: "An ECS execution role may grant only ECR image pull, log delivery and secret injection.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "The execution role is used by the ECS agent, not by your application. Give it only:",
        `  ${EXECUTION_ROLE_ACTIONS.join(", ")}`,
        "(the AWS-managed policy AmazonECSTaskExecutionRolePolicy, plus secretsmanager:GetSecretValue, ssm:GetParameters and kms:Decrypt scoped to the task's secrets and key when it injects secrets).",
        "Remove every other permission: what the application itself calls belongs on the task role (taskRoleArn), and the rest belongs nowhere.",
        "For a justified case, add an exemption with its reason and expiry; to widen the rule for every execution role, list the actions in additionalAllowedActions.",
    ].join("\n"),
    url: docsUrl("ecs-execution-role-only-ecr-secrets-logs"),
    tags: ["ecs", "iam", "least-privilege"],
    configSchema: {
        properties: {
            additionalAllowedActions: actionListProperty(
                "More IAM actions or patterns (case-insensitive, * and ? wildcards) that execution roles may carry, such as s3:GetObject for environment files.",
            ),
            externalRoles: externalRolesProperty,
            exemptions: exemptionsProperty,
        },
    },
    validateStack: judgeEcsStack((given: unknown) => readConfig(given, defaults), executionRoleFindings),
});
