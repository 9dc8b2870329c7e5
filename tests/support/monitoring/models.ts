import { withPeers } from "../../../model/peers";
import { loadStack } from "../../../model/load";
import { editConfig, type ConfigEdits } from "../program";
import { readStackFile } from "../../../config/stack-file";
import type { CascadeModel } from "../../../model/types";

/** A committed stack's model as the program builds it (peers included), with optional config edits. */
export function stackModel(stack: "mainpc" | "pc2", edits: ConfigEdits = {}): CascadeModel {
    const file = readStackFile(`Pulumi.${stack}.yaml`);
    const config = editConfig(file.config, edits);
    return withPeers(loadStack({ config, secretKeys: new Set(file.secretKeys), stackFile: file.file, identity: { project: "cascade", stack } })).model;
}
