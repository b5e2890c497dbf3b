import { ActionPattern, anyMatches, parseActionPattern } from "./actionPattern";
import { repeatedKey } from "./jsonText";
import { describe, documentSize, isPlainObject, repeatedKeyMessage } from "./policyDocument";

/**
 * A role's trust policy (`assumeRolePolicy`): who may assume the role. Parsed once into the facts
 * the trust check needs: which principals each Allow admits, to which actions, under which
 * condition keys.
 */
export interface TrustStatement {
    readonly path: string;
    readonly effect: "Allow" | "Deny";
    readonly actionKind: "Action" | "NotAction";
    readonly actions: readonly ActionPattern[];
    /** `Service:ecs-tasks.amazonaws.com`, `AWS:arn:aws:iam::123456789012:root`, `AWS:*`, `Federated:…`; `*` for `Principal: "*"`. */
    readonly principals: readonly string[];
    /** The statement uses NotPrincipal: it admits everyone it does not name. */
    readonly notPrincipal: boolean;
    /** Condition keys, lower-cased, whatever their operator. */
    readonly conditionKeys: readonly string[];
}

export type TrustPolicy =
    | {
          readonly kind: "known";
          readonly statements: readonly TrustStatement[];
          readonly problems: readonly string[];
          /** Characters as IAM counts them against its quota for a role trust policy (whitespace not counted); a lower bound while parts are unknown. */
          readonly size: number;
      }
    | { readonly kind: "unknown" }
    /** A role declared in config, whose trust policy the declaration does not give. */
    | { readonly kind: "undeclared" };

export const ECS_TASKS_PRINCIPAL = "Service:ecs-tasks.amazonaws.com";

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

export function parseTrustPolicy(raw: unknown, isUnknown: (v: unknown) => boolean): TrustPolicy {
    if (isUnknown(raw)) return { kind: "unknown" };
    let doc: unknown = raw;
    const problems: string[] = [];
    if (typeof raw === "string") {
        try {
            doc = JSON.parse(raw);
        } catch {
            return { kind: "known", statements: [], problems: ["the trust policy is not valid JSON"], size: 0 };
        }
        const repeated = repeatedKey(raw);
        if (repeated) problems.push(`${repeated.path === "" ? "the trust policy" : repeated.path}: ${repeatedKeyMessage(repeated.key)}`);
    }
    if (!isPlainObject(doc)) return { kind: "known", statements: [], problems: [`the trust policy must be an object, not ${describe(doc)}`], size: 0 };
    const raws = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    const statements: TrustStatement[] = [];
    raws.forEach((s: unknown, i) => {
        const path = Array.isArray(doc.Statement) ? `Statement[${i}]` : "Statement";
        if (!isPlainObject(s)) {
            problems.push(`${path} must be an object, not ${describe(s)}`);
            return;
        }
        if (s.Effect !== "Allow" && s.Effect !== "Deny") {
            problems.push(`${path}.Effect must be "Allow" or "Deny", not ${describe(s.Effect)}`);
            return;
        }
        const notPrincipal = s.NotPrincipal !== undefined;
        const actionKind = s.NotAction !== undefined && s.Action === undefined ? "NotAction" : "Action";
        statements.push({
            path,
            effect: s.Effect,
            actionKind,
            actions: strings(s[actionKind]).map(parseActionPattern),
            principals: principals(notPrincipal ? s.NotPrincipal : s.Principal),
            notPrincipal,
            conditionKeys: isPlainObject(s.Condition)
                ? Object.values(s.Condition).flatMap((byKey) => (isPlainObject(byKey) ? Object.keys(byKey).map((k) => k.toLowerCase()) : []))
                : [],
        });
    });
    return { kind: "known", statements, problems, size: documentSize(raw, isUnknown) };
}

function strings(v: unknown): string[] {
    if (typeof v === "string") return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function principals(v: unknown): string[] {
    if (v === "*") return ["*"];
    if (!isPlainObject(v)) return [];
    return Object.entries(v).flatMap(([kind, values]) => strings(values).map((value) => `${kind}:${kind === "Service" ? value.toLowerCase() : value}`));
}

/** Whether a statement lets its principals assume the role (or start a session as it). */
export function admitsAssume(statement: TrustStatement): boolean {
    return ASSUME_ACTIONS.some((a) => anyMatches(statement.actions, a) === (statement.actionKind === "Action"));
}
