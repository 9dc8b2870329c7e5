import { Document, isScalar, visit } from "yaml";
import { escapeDollars } from "./units";

// YAML as both Compose readers take it: docker-compose v1 reads YAML 1.1 and the docker CLI reads
// 1.1 octals, so documents are written as YAML 1.1 (yes/no/on/off get quoted), file modes as octal
// (0400), and long values (the agents manifest) on one line.

/** The document with every `$` escaped, then `interpolated` strings set as they are (`${VAR:-x}`). */
export function composeYaml(header: string, value: Record<string, unknown>, interpolated: readonly { path: readonly string[]; value: string }[] = []): string {
    const document = new Document(escapeDollars(value), { version: "1.1" });
    for (const entry of interpolated) {
        document.setIn(entry.path, entry.value);
    }
    visit(document, {
        Pair(_, pair) {
            if (isScalar(pair.key) && pair.key.value === "mode" && isScalar(pair.value) && typeof pair.value.value === "number") {
                pair.value.format = "OCT";
            }
        },
    });
    document.commentBefore = header.split("\n").map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
    return document.toString({ lineWidth: 0 });
}
