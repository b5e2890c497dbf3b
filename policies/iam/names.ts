/**
 * A role name as IAM looks it up: IAM names are unique within an account without regard to case
 * ("you cannot create roles named both ROLE and role", IAM User Guide, "IAM identifiers"), so a
 * grant that names a role in another case names that role.
 */
export function nameKey(name: string): string {
    return name.toLowerCase();
}

/** Whether two role ARNs name the same role, the name compared as IAM compares names. */
export function sameRoleArn(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
}
