/**
 * The policies of ecs-role-guard, for this pack and for packs that compose them. Importing this
 * module starts nothing.
 */
import { Policies } from "@pulumi/policy";
import { ecsExecutionRoleLeastPrivilege } from "./ecsExecutionRoleLeastPrivilege";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "./ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "./ecsExecutionRoleSufficient";
import { ecsRolePermissionsEvaluable } from "./ecsRolePermissionsEvaluable";
import { ecsRoleTrustPolicy } from "./ecsRoleTrustPolicy";
import { ecsTaskAndExecutionRolesDistinct } from "./ecsTaskAndExecutionRolesDistinct";
import { ecsTaskRoleNoAgentPermissions } from "./ecsTaskRoleNoAgentPermissions";

export { ecsExecutionRoleOnlyEcrSecretsLogs, executionRoleFindings } from "./ecsExecutionRoleOnlyEcrSecretsLogs";
export type { EcsExecutionRoleOnlyEcrSecretsLogsConfig } from "./ecsExecutionRoleOnlyEcrSecretsLogs";
export { ecsTaskRoleNoAgentPermissions, taskRoleFindings } from "./ecsTaskRoleNoAgentPermissions";
export type { EcsTaskRoleNoAgentPermissionsConfig } from "./ecsTaskRoleNoAgentPermissions";
export { ecsTaskAndExecutionRolesDistinct, distinctRoleFindings } from "./ecsTaskAndExecutionRolesDistinct";
export { ecsRolePermissionsEvaluable, evaluabilityFindings } from "./ecsRolePermissionsEvaluable";
export { ecsExecutionRoleLeastPrivilege, leastPrivilegeFindings } from "./ecsExecutionRoleLeastPrivilege";
export { ecsExecutionRoleSufficient, sufficiencyFindings } from "./ecsExecutionRoleSufficient";
export { ecsRoleTrustPolicy, trustFindings } from "./ecsRoleTrustPolicy";
export { buildEcsStackModel } from "./stack/ecsModel";
export type { EcsStackModel } from "./stack/ecsModel";
export { suggestExecutionRolePolicies, suggestExecutionRolePolicy, INLINE_POLICIES_QUOTA, MANAGED_POLICY_QUOTA } from "./suggest/executionRolePolicy";
export type {
    ExecutionRolePolicySuggestion,
    IamPolicyDocument,
    NeedSource,
    Place,
    Placeholder,
    SuggestedResource,
    SuggestedStatement,
    SuggestOptions,
} from "./suggest/executionRolePolicy";
export type { Finding } from "./format";
export { judgeEcsStack } from "./stackPolicy";
export type { Judge } from "./stackPolicy";
export { EXECUTION_ROLE_ACTIONS, AGENT_LEVEL_ACTIONS } from "./iam/ecsActions";

/** Every policy of the pack, in the order the pack lists them. */
export const policies: Policies = [
    ecsExecutionRoleOnlyEcrSecretsLogs,
    ecsTaskRoleNoAgentPermissions,
    ecsTaskAndExecutionRolesDistinct,
    ecsRolePermissionsEvaluable,
    ecsExecutionRoleLeastPrivilege,
    ecsExecutionRoleSufficient,
    ecsRoleTrustPolicy,
];
