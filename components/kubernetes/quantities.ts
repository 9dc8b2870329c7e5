// Model amounts (cores, bytes) as Kubernetes quantities. Exact and canonical, so that what Pulumi
// sends is what the API server stores and reads back: no perpetual diff from "0.5" vs "500m".

const BINARY_SUFFIXES = [["Ti", 1024 ** 4], ["Gi", 1024 ** 3], ["Mi", 1024 ** 2], ["Ki", 1024]] as const;

/** Cores as a CPU quantity: whole cores as "2", fractions in millicores ("250m"). */
export function cpuQuantity(cores: number): string {
    const millicores = Math.round(cores * 1000);
    return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Bytes as the largest binary suffix that divides them exactly ("16Gi", "512Mi"), else plain bytes. */
export function memoryQuantity(bytes: number): string {
    for (const [suffix, size] of BINARY_SUFFIXES) {
        if (bytes >= size && bytes % size === 0) {
            return `${bytes / size}${suffix}`;
        }
    }
    return String(bytes);
}

const QUANTITY_FACTORS: Readonly<Record<string, number>> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    Pi: 1024 ** 5,
};

/** A quantity's value ("250m" is 0.25, "10Gi" is 10 x 2^30); undefined when it is not one. */
export function parseQuantity(text: string | number): number | undefined {
    if (typeof text === "number") {
        return Number.isFinite(text) ? text : undefined;
    }
    const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text);
    return match ? Number(match[1]) * QUANTITY_FACTORS[match[2] ?? ""] : undefined;
}
