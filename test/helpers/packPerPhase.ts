import * as path from "path";
import { PackSession, startPack } from "./engine";
import { toEngineResources } from "./engineResources";
import { Phase, StackBuilder } from "./stacks";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

/**
 * One pack per phase, launched as the Pulumi CLI launches it before the tests of the enclosing
 * `describe` and closed after them. The function returned sends a stack through the pack of its phase.
 */
export function packPerPhase(): (phase: Phase, s: StackBuilder) => ReturnType<PackSession["deploy"]> {
    const sessions: Partial<Record<Phase, PackSession>> = {};
    before(async () => {
        [sessions.preview, sessions.update] = await Promise.all([startPack(PACK_DIR, { preview: true }), startPack(PACK_DIR, { preview: false })]);
    });
    after(async () => {
        await Promise.all([sessions.preview?.close(), sessions.update?.close()]);
    });
    return (phase, s) => (sessions[phase] as PackSession).deploy(toEngineResources(s.resources));
}
