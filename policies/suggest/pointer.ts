/**
 * What a finding about an execution role says of its fix. Short: the SDK sends each message with
 * every finding. `ecs-role-guard suggest` reads the same program or stack export the finding came
 * from and prints the role's least-privilege policy (policies/suggest/executionRolePolicy.ts).
 */
export const SUGGEST_POINTER = "`ecs-role-guard suggest` prints the exact policy the role needs.";
